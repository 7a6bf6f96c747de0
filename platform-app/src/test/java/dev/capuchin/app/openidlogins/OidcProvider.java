package dev.capuchin.app.openidlogins;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real OpenID Connect provider for the control plane's sign-in tests: the npm package
 * {@code oidc-provider} run through Node with the script and lock file the auth plugin's
 * tests use ({@code plugin-auth/src/test/node/provider.mjs}), its dependencies installed
 * once with {@code npm ci}. Its users are alice (groups staff and readers,
 * alice@example.test) and bob (group guests, bob@other.test), any password; its client
 * {@code capuchin} has the secret {@code s3cret}. Tests using it are skipped, saying why,
 * only when {@code node} is not installed.
 */
public final class OidcProvider implements AutoCloseable {

	/** The confidential client's id. */
	public static final String CLIENT_ID = "capuchin";

	/** The confidential client's secret. */
	public static final String CLIENT_SECRET = "s3cret";

	private static final Path DIRECTORY = Path.of("../plugin-auth/src/test/node").toAbsolutePath().normalize();

	private static boolean installed;

	private final Process process;

	private final int port;

	private OidcProvider(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	/**
	 * Start a provider on a free loopback port.
	 * @param redirectUri the redirect URI its clients accept
	 * @return the running provider
	 * @throws Exception when it cannot be started
	 */
	public static OidcProvider start(String redirectUri) throws Exception {
		install();
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		ProcessBuilder builder = new ProcessBuilder("node", "provider.mjs").directory(DIRECTORY.toFile())
			.redirectError(ProcessBuilder.Redirect.INHERIT);
		builder.environment().put("PORT", Integer.toString(port));
		builder.environment().put("REDIRECT_URI", redirectUri);
		Process process = builder.start();
		BufferedReader out = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
		String line = CompletableFuture.supplyAsync(() -> {
			try {
				return out.readLine();
			}
			catch (IOException ex) {
				return null;
			}
		}).get(60, TimeUnit.SECONDS);
		if (line == null || !line.startsWith("ready ")) {
			process.destroyForcibly();
		}
		assertThat(line).as("provider.mjs did not start").startsWith("ready ");
		return new OidcProvider(process, port);
	}

	/**
	 * The issuer URL.
	 * @return {@code http://127.0.0.1:<port>}
	 */
	public String issuer() {
		return "http://127.0.0.1:" + this.port;
	}

	@Override
	public void close() throws Exception {
		// closing its standard input ends it; then make sure
		this.process.getOutputStream().close();
		if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
		}
	}

	private static synchronized void install() throws Exception {
		assumeTrue(onPath("node") && onPath("npm"),
				"node and npm are not installed: the oidc-provider tests are skipped (.ci/run installs them)");
		if (!installed && !Files.isDirectory(DIRECTORY.resolve("node_modules/oidc-provider"))) {
			Process npm = new ProcessBuilder(List.of("npm", "ci", "--no-audit", "--no-fund"))
				.directory(DIRECTORY.toFile())
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.redirectError(ProcessBuilder.Redirect.INHERIT)
				.start();
			assertThat(npm.waitFor(300, TimeUnit.SECONDS)).as("npm ci finished").isTrue();
			assertThat(npm.exitValue()).as("npm ci").isZero();
		}
		installed = true;
	}

	private static boolean onPath(String program) {
		String path = System.getenv("PATH");
		if (path == null) {
			return false;
		}
		for (String directory : path.split(File.pathSeparator)) {
			if (Files.isExecutable(Path.of(directory, program))) {
				return true;
			}
		}
		return false;
	}

}
