package dev.capuchin.app.shared.config;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default store's own settings (the H2 URL in the built-in {@code application.yml})
 * make a commit durable the moment it returns: a process that commits and reports each
 * commit, killed with SIGKILL, leaves every commit it reported in the file. H2 writes
 * committed changes in the background ({@code WRITE_DELAY}, 500 ms by default), which a
 * SIGKILL cuts short.
 */
class StoreDurabilityTests {

	private static final String DEFAULT_DIRECTORY = "jdbc:h2:file:./";

	@TempDir
	Path temp;

	@Test
	void everyCommitReportedBeforeKillMinusNineIsInTheDefaultStore() throws Exception {
		String url = defaultUrl();
		assertThat(url).as("the default store is an H2 file under the working directory").startsWith(DEFAULT_DIRECTORY);
		String here = "jdbc:h2:file:" + this.temp + "/" + url.substring(DEFAULT_DIRECTORY.length());
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Process writer = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
				CommittingProcess.class.getName(), here)
			.redirectError(this.temp.resolve("writer.log").toFile())
			.start();
		long reported;
		try (BufferedReader lines = new BufferedReader(
				new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
			// commits go on while the test reads: the kill lands between two of them
			reported = 0;
			while (reported < 1000) {
				String line = lines.readLine();
				assertThat(line).as("the writer reports its commits (see writer.log)").isNotNull();
				reported = Long.parseLong(line);
			}
			writer.destroyForcibly();
		}
		finally {
			writer.destroyForcibly();
		}
		assertThat(writer.waitFor(30, TimeUnit.SECONDS)).as("the writer ends").isTrue();
		assertThat(writer.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
		try (Connection store = DriverManager.getConnection(here, "capuchin", "capuchin");
				ResultSet row = store.createStatement().executeQuery("select n from commits")) {
			assertThat(row.next()).isTrue();
			assertThat(row.getLong(1)).as("the last commit in the store").isGreaterThanOrEqualTo(reported);
		}
	}

	private static String defaultUrl() throws IOException {
		List<PropertySource<?>> defaults = new YamlPropertySourceLoader().load("defaults",
				new ClassPathResource("application.yml"));
		return (String) defaults.get(0).getProperty("spring.datasource.url");
	}

	/**
	 * The process killed: commits a counter again and again, reporting each value on its
	 * standard output once its commit returned.
	 */
	static final class CommittingProcess {

		private CommittingProcess() {
		}

		public static void main(String[] args) throws Exception {
			try (Connection store = DriverManager.getConnection(args[0], "capuchin", "capuchin")) {
				store.createStatement().execute("create table commits (n bigint not null)");
				store.createStatement().execute("insert into commits values (0)");
				store.setAutoCommit(false);
				try (PreparedStatement update = store.prepareStatement("update commits set n = ?")) {
					for (long n = 1;; n++) {
						update.setLong(1, n);
						update.executeUpdate();
						store.commit();
						System.out.println(n);
						System.out.flush();
					}
				}
			}
		}

	}

}
