package dev.capuchin.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

@ExtendWith(OutputCaptureExtension.class)
class AdminPasswordTests {

	@TempDir
	Path temp;

	@Test
	void withoutTheEnvironmentVariableAPasswordIsGeneratedAndLoggedOnce(CapturedOutput output) throws IOException {
		try (ConfigurableApplicationContext context = run()) {
			assertThat(output.getOut()).containsOnlyOnce("Generated admin password: ");
		}
	}

	@Test
	void aShortAdminPasswordIsRefusedByName() throws IOException {
		assertThatException().isThrownBy(() -> run("--CAPUCHIN_ADMIN_PASSWORD=short").close())
			.havingRootCause()
			.withMessageContaining("CAPUCHIN_ADMIN_PASSWORD: too short");
	}

	private ConfigurableApplicationContext run(String... extra) throws IOException {
		Path root = Files.createDirectories(this.temp.resolve("htdocs"));
		Path sites = Files.createDirectories(this.temp.resolve("sites"));
		Files.writeString(sites.resolve("default.yml"), "name: default\ndefault: true\ndocument-root: " + root + "\n");
		String[] args = new String[extra.length + 5];
		args[0] = "--capuchin.sites-dir=" + sites;
		args[1] = "--capuchin.server.listeners[0].address=127.0.0.1:0";
		args[2] = "--server.port=0";
		args[3] = "--capuchin.server.workers=1";
		args[4] = "--spring.datasource.url=jdbc:h2:mem:admin-" + System.nanoTime();
		System.arraycopy(extra, 0, args, 5, extra.length);
		return SpringApplication.run(CapuchinApplication.class, args);
	}

}
