package dev.capuchin.plugin.cgi;

import dev.capuchin.plugin.cgi.internal.LaunchMechanism;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class CgiPluginTests {

	@Test
	void startLogsTheLaunchMechanismOnce(CapturedOutput output) {
		CgiPlugin plugin = new CgiPlugin(CgiSettings.defaults(), CgiOutcomeListener.NONE);
		plugin.start();
		plugin.stop();
		String mechanism = String.valueOf(LaunchMechanism.of(System.getProperty(LaunchMechanism.PROPERTY)));
		assertThat(output.getAll().split("launch mechanism", -1)).hasSize(2);
		assertThat(output.getAll()).contains("cgi: scripts start with the " + mechanism + " launch mechanism");
	}

}
