package dev.capuchin.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * What application tests share: a sites directory with one default site, the properties
 * that point the application at it (data plane on an ephemeral loopback port, a known
 * admin password), and the Basic credentials header.
 */
public final class TestApplication {

	private TestApplication() {
	}

	/**
	 * Write {@code sites/default.yml} under {@code temp} for a default site on
	 * {@code root}.
	 * @param temp the test's directory
	 * @param root the document root
	 * @param extraKeys more site-file lines, or {@code ""}
	 * @return the sites directory
	 * @throws IOException when the file cannot be written
	 */
	public static Path defaultSite(Path temp, Path root, String extraKeys) throws IOException {
		Path sites = Files.createDirectories(temp.resolve("sites"));
		Files.writeString(sites.resolve("default.yml"), "name: default\nserver-names: [localhost]\ndefault: true\n"
				+ "document-root: " + root + "\n" + extraKeys);
		return sites;
	}

	/**
	 * Register the properties every application test needs.
	 * @param registry the test's property registry
	 * @param sites the sites directory
	 * @param workers the number of workers
	 * @param password the admin password
	 */
	public static void register(DynamicPropertyRegistry registry, Path sites, int workers, String password) {
		registry.add("capuchin.sites-dir", sites::toString);
		registry.add("capuchin.server.listeners[0].address", () -> "127.0.0.1:0");
		registry.add("capuchin.server.workers", () -> Integer.toString(workers));
		registry.add("CAPUCHIN_ADMIN_PASSWORD", () -> password);
	}

	/**
	 * An {@code Authorization} header value for HTTP Basic.
	 * @param credentials {@code user:password}
	 * @return the header value
	 */
	public static String basic(String credentials) {
		return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
	}

}
