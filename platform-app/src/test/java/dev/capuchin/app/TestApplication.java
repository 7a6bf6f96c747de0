package dev.capuchin.app;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.stream.Stream;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * What application tests share: a sites directory with one default site, the properties
 * that point the application at it (data plane on an ephemeral loopback port, a known
 * admin password), the Basic credentials header, temporary files, and a raw GET on the
 * data plane.
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

	/**
	 * A temporary directory, deleted when the test JVM exits.
	 * @param prefix the directory name's prefix
	 * @return its real path
	 */
	public static Path temporaryDirectory(String prefix) {
		try {
			Path directory = Files.createTempDirectory(prefix);
			Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(directory)));
			return directory.toRealPath();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Write a file, creating its directories.
	 * @param file the file
	 * @param content its text
	 */
	public static void write(Path file, String content) {
		try {
			Files.createDirectories(file.getParent());
			Files.writeString(file, content);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A GET on the data plane with a Host header, over a raw socket (the JDK's client
	 * does not let a caller set Host).
	 * @param port the data plane's port on 127.0.0.1
	 * @param host the Host header
	 * @param path the request target
	 * @return the status and the body
	 * @throws IOException when the exchange fails
	 */
	public static DataPlaneResponse get(int port, String host, String path) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			int body = response.indexOf("\r\n\r\n");
			return new DataPlaneResponse(Integer.parseInt(response.substring(9, 12)),
					(body >= 0) ? response.substring(body + 4) : "");
		}
	}

	private static void delete(Path directory) {
		try (Stream<Path> files = Files.walk(directory)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
		catch (IOException ex) {
			// a temporary directory left behind
		}
	}

	/**
	 * A data-plane response.
	 *
	 * @param status the status
	 * @param body the body
	 */
	public record DataPlaneResponse(int status, String body) {
	}

}
