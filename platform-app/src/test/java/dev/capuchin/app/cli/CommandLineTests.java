package dev.capuchin.app.cli;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.capuchin.app.CapuchinApplication;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class CommandLineTests {

	@TempDir
	Path temp;

	private Path one;

	private Path two;

	private Path sites;

	@BeforeEach
	void siteFiles() throws Exception {
		this.one = Files.createDirectories(this.temp.resolve("one"));
		this.two = Files.createDirectories(this.temp.resolve("two"));
		this.sites = Files.createDirectories(this.temp.resolve("sites"));
		Files.writeString(this.sites.resolve("default.yml"),
				"name: default\nserver-names: [localhost]\ndefault: true\ndocument-root: " + this.one + "\n");
	}

	@Test
	void exportWritesTheWholeConfigurationAsYaml() throws Exception {
		Path file = this.temp.resolve("export.yaml");
		assertThat(run("export", file.toString())).isZero();
		assertThat(Files.readString(file)).contains("version: 1", "name: default", "document-root: " + this.one);
	}

	@Test
	void importWithDryRunShowsTheDifferenceAndStoresNothing(CapturedOutput output) throws Exception {
		Path file = exportedWithRoot(this.two);
		assertThat(run("import", file.toString(), "--dry-run")).isZero();
		assertThat(output.getOut()).contains("applied: false", "change: changed");
		Path again = this.temp.resolve("again.yaml");
		run("export", again.toString());
		assertThat(Files.readString(again)).contains("document-root: " + this.one).contains("version: 1");
	}

	@Test
	void importAppliesTheDocumentInOneVersion(CapturedOutput output) throws Exception {
		Path file = exportedWithRoot(this.two);
		assertThat(run("import", file.toString())).isZero();
		assertThat(output.getOut()).contains("applied: true", "version: 2");
		Path again = this.temp.resolve("again.yaml");
		run("export", again.toString());
		assertThat(Files.readString(again)).contains("document-root: " + this.two).contains("version: 2");
	}

	@Test
	void anInvalidDocumentIsRefusedByNameWithExitStatusOne(CapturedOutput output) throws Exception {
		Path file = exportedWithRoot(this.temp.resolve("missing"));
		assertThat(run("import", file.toString())).isEqualTo(1);
		assertThat(output.getErr()).contains("refused: site default: document-root:");
	}

	@Test
	void aMissingFileArgumentPrintsUsage(CapturedOutput output) {
		assertThat(CommandLine.run(CapuchinApplication.class, new String[] { "export" })).isEqualTo(2);
		assertThat(output.getErr()).contains("usage: java -jar capuchin.jar export FILE");
	}

	private Path exportedWithRoot(Path root) throws Exception {
		Path file = this.temp.resolve("export.yaml");
		run("export", file.toString());
		Files.writeString(file, Files.readString(file).replace(this.one.toString(), root.toString()));
		return file;
	}

	private int run(String... command) {
		String[] args = new String[command.length + 2];
		System.arraycopy(command, 0, args, 0, command.length);
		args[command.length] = "--spring.datasource.url=jdbc:h2:file:" + this.temp.resolve("store");
		args[command.length + 1] = "--capuchin.sites-dir=" + this.sites;
		return CommandLine.run(CapuchinApplication.class, args);
	}

}
