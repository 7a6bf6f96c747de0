package dev.capuchin.app.sites;

import java.util.List;
import java.util.Set;

import dev.capuchin.core.spi.PluginDescription;
import dev.capuchin.core.spi.Stage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HandlerChoiceTests {

	@Test
	void everyHandlerIsOfferedInTheFormsOrder() {
		assertThat(HandlerChoice.of(List.of())).extracting(HandlerChoice::key)
			.containsExactly("static", "dirlisting", "cgi", "fastcgi", "proxy");
	}

	@Test
	void aHandlerWhosePluginIsSwitchedOffSaysWhichProfileSwitchesItOn() {
		List<HandlerChoice> choices = HandlerChoice
			.of(List.of(new PluginDescription("proxy", false, Set.of(Stage.HANDLE), "proxy")));
		HandlerChoice proxy = choices.get(4);
		assertThat(proxy.enabled()).isFalse();
		assertThat(proxy.label()).isEqualTo("Proxy (not enabled here)");
		assertThat(proxy.note())
			.isEqualTo("the proxy plugin is not enabled: start with --spring.profiles.active=…,proxy");
	}

	@Test
	void aHandlerWhoseModuleIsMissingSaysSo() {
		HandlerChoice cgi = HandlerChoice.of(List.of()).get(2);
		assertThat(cgi.enabled()).isFalse();
		assertThat(cgi.note()).isEqualTo("the cgi plugin is not part of this build: add the plugin-cgi module");
	}

	@Test
	void aRunningPluginAndStaticFilesNeedNoNote() {
		List<HandlerChoice> choices = HandlerChoice
			.of(List.of(new PluginDescription("fastcgi", true, Set.of(Stage.HANDLE), "fastcgi")));
		assertThat(choices.get(0).note()).isNull();
		assertThat(choices.get(3).enabled()).isTrue();
		assertThat(choices.get(3).label()).isEqualTo("FastCGI");
	}

}
