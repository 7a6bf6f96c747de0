package dev.capuchin.plugin.fastcgi;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real php-fpm for tests: writes its configuration into a temporary directory (its own
 * pid file and log, one pool listening on a unix socket there and one on a free loopback
 * TCP port, {@code clear_env}, a status page), starts it in the foreground as the current
 * user ({@code -R} when that is root) and waits for both listeners, and stops it after
 * the tests. The binary is found as {@code .ci/run} finds it: {@code php-fpm} on the
 * {@code PATH}, else {@code /usr/sbin/php-fpm*}; without one the tests are skipped,
 * saying so.
 * <p>
 * Register it with {@code @RegisterExtension static PhpFpm php = new PhpFpm();}, or
 * {@link #start()} and {@link #close()} it by hand.
 */
final class PhpFpm implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

	/** The path of the pools' status page. */
	static final String STATUS_PATH = "/fpm-status";

	private final int children;

	private final int maxRequests;

	private Path directory;

	private Process process;

	private int port;

	PhpFpm() {
		this(8);
	}

	PhpFpm(int children) {
		this(children, 0);
	}

	/**
	 * A php-fpm whose children exit after {@code maxRequests} requests
	 * ({@code pm.max_requests}, closing the connection they kept), 0 for never.
	 */
	PhpFpm(int children, int maxRequests) {
		this.children = children;
		this.maxRequests = maxRequests;
	}

	@Override
	public void beforeAll(ExtensionContext context) throws Exception {
		start();
	}

	@Override
	public void afterAll(ExtensionContext context) throws Exception {
		close();
	}

	/**
	 * The php-fpm binary of this machine.
	 * @return the binary, or empty when php-fpm is not installed
	 */
	static Optional<Path> binary() {
		for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
			Path candidate = Path.of(dir.isEmpty() ? "." : dir, "php-fpm");
			if (Files.isExecutable(candidate)) {
				return Optional.of(candidate);
			}
		}
		try (Stream<Path> sbin = Files.list(Path.of("/usr/sbin"))) {
			return sbin.filter((path) -> path.getFileName().toString().startsWith("php-fpm"))
				.filter(Files::isExecutable)
				.sorted(Comparator.reverseOrder())
				.findFirst();
		}
		catch (IOException ex) {
			return Optional.empty();
		}
	}

	/**
	 * Start php-fpm, or skip the calling tests when it is not installed.
	 * @throws IOException when the configuration cannot be written
	 */
	void start() throws IOException {
		Optional<Path> binary = binary();
		Assumptions.assumeTrue(binary.isPresent(),
				"php-fpm is not installed (no php-fpm on PATH nor /usr/sbin/php-fpm*): apt-get install php-fpm");
		if (this.directory == null) {
			this.directory = Files.createTempDirectory("capuchin-php-fpm");
			this.port = freePort();
		}
		Files.deleteIfExists(socket());
		Files.writeString(this.directory.resolve("php-fpm.conf"), configuration(), StandardCharsets.UTF_8);
		List<String> command = new ArrayList<>(List.of(binary.get().toString(), "--nodaemonize", "--fpm-config",
				this.directory.resolve("php-fpm.conf").toString()));
		if ("root".equals(System.getProperty("user.name"))) {
			command.add("-R");
		}
		this.process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.directory.resolve("php-fpm.out").toFile()))
			.start();
		Awaitility.await("php-fpm listening")
			.atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> {
				if (!this.process.isAlive()) {
					throw new IllegalStateException("php-fpm exited: " + log());
				}
				return Files.exists(socket()) && tcpAccepts();
			});
	}

	/**
	 * Stop php-fpm (SIGTERM, then SIGKILL) and wait for it.
	 * @throws InterruptedException when interrupted
	 */
	void stop() throws InterruptedException {
		if (this.process != null && this.process.isAlive()) {
			this.process.destroy();
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.descendants().forEach(ProcessHandle::destroyForcibly);
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
	}

	@Override
	public void close() throws InterruptedException {
		stop();
	}

	/** The unix socket's path. */
	Path socket() {
		return this.directory.resolve("php-fpm.sock");
	}

	/** The unix socket as a {@code pass} address. */
	String unixPass() {
		return "unix:" + socket();
	}

	/** The TCP listener as a {@code pass} address. */
	String tcpPass() {
		return "127.0.0.1:" + this.port;
	}

	/** The TCP listener's port. */
	int tcpPort() {
		return this.port;
	}

	/**
	 * The connections php-fpm holds open on its two listeners, from the kernel's socket
	 * tables: on the unix socket those accepted and not yet closed by php-fpm, on TCP
	 * those established or closed by the peer only (a child still busy with the request
	 * of a client that went away keeps its side open, and keeps the child). Each one pins
	 * a php-fpm child.
	 * @return the count
	 * @throws IOException when a table cannot be read
	 */
	long connections() throws IOException {
		Path unix = Path.of("/proc/net/unix");
		Path tcp = Path.of("/proc/net/tcp");
		Assumptions.assumeTrue(Files.isReadable(unix) && Files.isReadable(tcp), "no /proc/net here");
		String path = socket().toString();
		long count;
		try (Stream<String> lines = Files.lines(unix)) {
			// Num RefCount Protocol Flags Type St Inode Path; St 03: connected
			count = lines.skip(1)
				.map((line) -> line.trim().split("\\s+"))
				.filter((fields) -> fields.length >= 8 && fields[7].equals(path) && fields[5].equals("03"))
				.count();
		}
		String local = String.format(":%04X", this.port);
		try (Stream<String> lines = Files.lines(tcp)) {
			// sl local rem st ...; st 01: established, 08: close-wait
			count += lines.skip(1)
				.map((line) -> line.trim().split("\\s+"))
				.filter((fields) -> fields[1].endsWith(local) && (fields[3].equals("01") || fields[3].equals("08")))
				.count();
		}
		return count;
	}

	/** php-fpm's own log, for failure messages. */
	String log() throws IOException {
		StringBuilder log = new StringBuilder();
		for (String name : List.of("php-fpm.log", "php-fpm.out")) {
			Path file = this.directory.resolve(name);
			if (Files.exists(file)) {
				log.append(Files.readString(file, StandardCharsets.UTF_8));
			}
		}
		return log.toString();
	}

	private String configuration() {
		String pool = """
				pm = static
				pm.max_children = %d
				pm.max_requests = %d
				clear_env = yes
				pm.status_path = %s
				catch_workers_output = yes
				php_admin_value[error_log] =
				php_admin_flag[log_errors] = on
				php_admin_value[upload_max_filesize] = 64M
				php_admin_value[post_max_size] = 64M
				php_admin_value[output_buffering] = 0
				""".formatted(this.children, this.maxRequests, STATUS_PATH);
		return """
				[global]
				pid = %1$s/php-fpm.pid
				error_log = %1$s/php-fpm.log
				daemonize = no

				[unix]
				listen = %1$s/php-fpm.sock
				listen.mode = 0600
				%2$s
				[tcp]
				listen = 127.0.0.1:%3$d
				%2$s
				""".formatted(this.directory, pool, this.port);
	}

	private boolean tcpAccepts() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 200);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
