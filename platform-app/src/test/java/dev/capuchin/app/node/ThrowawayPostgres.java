package dev.capuchin.app.node;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of a test's own, on a temporary data directory and a free port,
 * which the test may stop and start (the shared one of {@code .ci/postgres.sh} serves
 * other tests meanwhile). It runs as the {@code postgres} user, which the test (root, as
 * in CI) switches to with {@code runuser}; the only account is {@code postgres}, trusted
 * on loopback.
 */
final class ThrowawayPostgres implements AutoCloseable {

	private static final Path RUNUSER = Path.of("/usr/sbin/runuser");

	private final Path bin;

	private final Path directory;

	private final int port;

	private ThrowawayPostgres(Path bin, Path directory, int port) {
		this.bin = bin;
		this.directory = directory;
		this.port = port;
	}

	/**
	 * Why a throw-away cluster cannot be made here.
	 * @return the reason, or empty when it can
	 */
	static Optional<String> unavailable() {
		if (!"root".equals(System.getProperty("user.name"))) {
			return Optional.of("a throw-away PostgreSQL needs root to run it as the postgres user");
		}
		if (!Files.isExecutable(RUNUSER)) {
			return Optional.of("no " + RUNUSER + " (util-linux)");
		}
		return binaries().isPresent() ? Optional.empty()
				: Optional.of("no PostgreSQL server under /usr/lib/postgresql (apt-get install postgresql)");
	}

	/**
	 * Create and start a cluster.
	 * @return the running cluster
	 * @throws IOException when it does not start
	 */
	static ThrowawayPostgres start() throws IOException, InterruptedException {
		Path bin = binaries().orElseThrow();
		Path directory = Files.createTempDirectory(Path.of("/tmp"), "capuchin-pg-");
		run("chown", "postgres:postgres", directory.toString());
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		ThrowawayPostgres postgres = new ThrowawayPostgres(bin, directory, port);
		postgres.asPostgres(bin.resolve("initdb").toString(), "-D", postgres.data(), "-A", "trust", "-U", "postgres",
				"-E", "UTF8", "--no-sync");
		postgres.startServer();
		return postgres;
	}

	/**
	 * The JDBC URL of the cluster's {@code postgres} database.
	 * @return the URL
	 */
	String url() {
		return "jdbc:postgresql://127.0.0.1:" + this.port + "/postgres";
	}

	/**
	 * Start the server again on the same data directory and port.
	 * @throws IOException when it does not start
	 */
	void startServer() throws IOException, InterruptedException {
		asPostgres(this.bin.resolve("pg_ctl").toString(), "-D", data(), "-l",
				this.directory.resolve("server.log").toString(), "-w", "-t", "60", "-o",
				"-p " + this.port + " -k " + this.directory + " -c listen_addresses=127.0.0.1 -c fsync=off", "start");
	}

	/**
	 * Stop the server the way an operator's restart does ({@code fast}: clients are
	 * disconnected, open transactions roll back).
	 * @throws IOException when it does not stop
	 */
	void stopServer() throws IOException, InterruptedException {
		asPostgres(this.bin.resolve("pg_ctl").toString(), "-D", data(), "-m", "fast", "-w", "-t", "60", "stop");
	}

	@Override
	public void close() throws IOException, InterruptedException {
		try {
			if (Files.exists(this.directory.resolve("data/postmaster.pid"))) {
				stopServer();
			}
		}
		finally {
			try (Stream<Path> files = Files.walk(this.directory)) {
				for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
					Files.deleteIfExists(file);
				}
			}
		}
	}

	private String data() {
		return this.directory.resolve("data").toString();
	}

	private void asPostgres(String... command) throws IOException, InterruptedException {
		List<String> line = new ArrayList<>(List.of(RUNUSER.toString(), "-u", "postgres", "--"));
		line.addAll(List.of(command));
		// in a directory the postgres user may enter: the build's may be closed to it
		run(this.directory, line.toArray(String[]::new));
	}

	private static void run(String... command) throws IOException, InterruptedException {
		run(Path.of("/"), command);
	}

	private static void run(Path directory, String... command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
		byte[] output = process.getInputStream().readAllBytes();
		if (!process.waitFor(90, TimeUnit.SECONDS) || process.exitValue() != 0) {
			process.destroyForcibly();
			throw new IOException(String.join(" ", command) + " failed: " + new String(output, StandardCharsets.UTF_8));
		}
	}

	private static Optional<Path> binaries() {
		Path root = Path.of("/usr/lib/postgresql");
		if (!Files.isDirectory(root)) {
			return Optional.empty();
		}
		try (Stream<Path> versions = Files.list(root)) {
			return versions.map((version) -> version.resolve("bin"))
				.filter((bin) -> Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl")))
				.max(Comparator.comparing((bin) -> versionOf(bin.getParent())));
		}
		catch (IOException ex) {
			return Optional.empty();
		}
	}

	private static int versionOf(Path directory) {
		try {
			return Integer.parseInt(directory.getFileName().toString().replaceAll("\\D.*", ""));
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

}
