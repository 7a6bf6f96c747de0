package dev.capuchin.app.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import dev.capuchin.app.CapuchinApplication;
import dev.capuchin.app.monkey.MonkeyFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class MonkeyImportCommandTests {

	@TempDir
	Path temp;

	private Path sites;

	private MonkeyFixture monkey;

	@BeforeEach
	void storeAndMonkey() throws Exception {
		Path root = Files.createDirectories(this.temp.resolve("capuchin-root"));
		this.sites = Files.createDirectories(this.temp.resolve("sites"));
		Files.writeString(this.sites.resolve("default.yml"),
				"name: default\nserver-names: [localhost]\ndefault: true\ndocument-root: " + root + "\n");
		this.monkey = MonkeyFixture.install(this.temp.resolve("monkey"), "2001");
	}

	@Test
	void aDryRunPrintsTheReportServerSettingsAndDifferenceAndStoresNothing(CapturedOutput output) throws Exception {
		assertThat(run("import-monkey", this.monkey.directory().toString(), "--dry-run")).isZero();
		assertThat(output.getOut()).contains(
				"#   monkey.conf:78 [SERVER] User: not mapped (run Capuchin as the user you want)",
				"#   sites/shop:" + this.monkey.lineOf("sites/shop", "Match")
						+ " [HANDLERS] Match: mapped to a location with match: (?i)/cgi-bin/.*\\.cgi and cgi: {}",
				"#   site default: replaced by sites/default", "#   capuchin:", "#       - address: 0.0.0.0:2001",
				"applied: false", "site: shop", "change: added");
		assertThat(query("select version from config_version")).containsExactly("1");
		assertThat(query("select name from site order by position")).containsExactly("default");
	}

	@Test
	void anImportIsStoredInOneVersionWithAuditEntriesAndWritesTheServerSettings(CapturedOutput output)
			throws Exception {
		Path serverConfig = this.temp.resolve("monkey-server.yml");
		assertThat(run("import-monkey", this.monkey.directory().toString(), "--server-config", serverConfig.toString()))
			.isZero();
		assertThat(output.getOut()).contains("applied: true", "version: 2",
				"# server settings (not live: listeners bind at start) written to " + serverConfig);
		assertThat(Files.readString(serverConfig)).contains("capuchin:", "address: 0.0.0.0:2001",
				"keep-alive-timeout: 5s", "flush-interval: 3s");
		assertThat(query("select version from config_version")).containsExactly("2");
		assertThat(query("select name from site order by position")).containsExactly("default", "shop", "staff");
		assertThat(query("select document_root from site where name = 'default'"))
			.containsExactly(this.monkey.defaultRoot().toString());
		assertThat(query("select actor || ' ' || action || ' ' || target from audit_log where actor = 'command-line'"))
			.contains("command-line changed field document-root on default", "command-line added site shop",
					"command-line added site staff")
			.allSatisfy((line) -> assertThat(line).matches("command-line (added|changed|removed) .*"));
	}

	@Test
	void aMalformedFileIsRefusedWithItsLineAndNothingIsStored(CapturedOutput output) throws Exception {
		this.monkey.replace("sites/shop", "    ServerName shop.example\n", "ServerName shop.example\n");
		assertThat(run("import-monkey", this.monkey.directory().toString())).isEqualTo(1);
		assertThat(output.getErr())
			.contains("refused: sites/shop:" + this.monkey.lineOf("sites/shop", "ServerName shop.example")
					+ ": 'ServerName shop.example' (expected: an indented 'Key value' line or a section header)");
		assertThat(query("select version from config_version")).containsExactly("1");
	}

	@Test
	void anAuthSectionIsRefusedWhileTheAuthPluginIsOff(CapturedOutput output) throws Exception {
		assertThat(
				CommandLine.run(CapuchinApplication.class,
						new String[] { "import-monkey", this.monkey.directory().toString(),
								"--spring.datasource.url=" + url(), "--capuchin.sites-dir=" + this.sites }))
			.isEqualTo(1);
		assertThat(output.getErr()).contains("refused: sites/staff:" + this.monkey.lineOf("sites/staff", "[AUTH]")
				+ " [AUTH]: the auth plugin is off, so the location would be served without credentials");
	}

	private int run(String... command) {
		List<String> args = new ArrayList<>(List.of(command));
		args.add("--spring.datasource.url=" + url());
		args.add("--capuchin.sites-dir=" + this.sites);
		args.add("--capuchin.plugins.auth.enabled=true");
		return CommandLine.run(CapuchinApplication.class, args.toArray(String[]::new));
	}

	private String url() {
		return "jdbc:h2:file:" + this.temp.resolve("store");
	}

	private List<String> query(String sql) throws Exception {
		List<String> rows = new ArrayList<>();
		try (Connection connection = DriverManager.getConnection(url(), "capuchin", "capuchin");
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery(sql)) {
			while (result.next()) {
				rows.add(result.getString(1));
			}
		}
		return rows;
	}

}
