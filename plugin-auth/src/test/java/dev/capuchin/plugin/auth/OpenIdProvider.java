package dev.capuchin.plugin.auth;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real OpenID Connect provider for the tests of the {@code openid} mode and of the
 * control plane's sign-ins: the npm package {@code oidc-provider} run through Node
 * ({@code plugin-auth/src/test/node/provider.mjs}), its dependencies installed once with
 * {@code npm ci} from the committed lock file. Published in this module's test-jar, so
 * that platform-app's tests start the same provider. Its users are alice (groups staff
 * and readers, alice@example.test) and bob (group guests, bob@other.test), any password;
 * its clients {@value #CLIENT_ID} (secret {@value #CLIENT_SECRET}),
 * {@code capuchin-public} (PKCE only) and, when started with {@link #CLIENT_JWKS},
 * {@value #JWT_CLIENT_ID} ({@code private_key_jwt}). Tests using it are skipped, saying
 * why, only when {@code node} is not installed.
 */
public final class OpenIdProvider implements AutoCloseable {

	/** The confidential client's id. */
	public static final String CLIENT_ID = "capuchin";

	/** The confidential client's secret. */
	public static final String CLIENT_SECRET = "s3cret";

	/** The id of the client that authenticates with {@code private_key_jwt}. */
	public static final String JWT_CLIENT_ID = "capuchin-jwt";

	/**
	 * The environment variable holding the public JWK set of {@value #JWT_CLIENT_ID}
	 * (JSON); without it, that client is not registered.
	 */
	public static final String CLIENT_JWKS = "CLIENT_JWKS";

	/** The script's directory, found from plugin-auth or from a sibling module. */
	private static final Path DIRECTORY = directory();

	private static boolean installed;

	private final Process process;

	private final int port;

	private OpenIdProvider(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	/**
	 * Start a provider on a free loopback port.
	 * @param redirectUri the redirect URI its clients accept
	 * @return the running provider
	 * @throws Exception when it cannot be started
	 */
	public static OpenIdProvider start(String redirectUri) throws Exception {
		return start(redirectUri, Map.of());
	}

	/**
	 * Start a provider on a free loopback port with more of the script's settings.
	 * @param redirectUri the redirect URI its clients accept
	 * @param environment more environment variables of the script, such as
	 * {@link #CLIENT_JWKS}
	 * @return the running provider
	 * @throws Exception when it cannot be started
	 */
	public static OpenIdProvider start(String redirectUri, Map<String, String> environment) throws Exception {
		install();
		int port = freePort();
		ProcessBuilder builder = new ProcessBuilder("node", "provider.mjs").directory(DIRECTORY.toFile())
			.redirectError(ProcessBuilder.Redirect.INHERIT);
		builder.environment().putAll(environment);
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
		return new OpenIdProvider(process, port);
	}

	/**
	 * The issuer URL.
	 * @return {@code http://127.0.0.1:<port>}
	 */
	public String url() {
		return "http://127.0.0.1:" + this.port;
	}

	/**
	 * The issuer URL, as the control plane's tests name it.
	 * @return {@code http://127.0.0.1:<port>}
	 */
	public String issuer() {
		return url();
	}

	/**
	 * The port it listens on.
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	@Override
	public void close() throws Exception {
		// closing its standard input ends it; then make sure
		this.process.getOutputStream().close();
		if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
		}
	}

	/**
	 * A loopback port free at the time of the call.
	 * @return the port
	 * @throws IOException when no port can be had
	 */
	public static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private static Path directory() {
		Path own = Path.of("src/test/node").toAbsolutePath();
		if (Files.isRegularFile(own.resolve("provider.mjs"))) {
			return own;
		}
		return Path.of("../plugin-auth/src/test/node").toAbsolutePath().normalize();
	}

	private static synchronized void install() throws Exception {
		assumeTrue(onPath("node") && onPath("npm"),
				"node and npm are not installed: the oidc-provider tests are skipped (.ci/run installs them)");
		assertThat(DIRECTORY.resolve("provider.mjs")).as("the provider script, run from a module of the build")
			.isRegularFile();
		// once per test run; a second module's tests find it installed by the first's
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
