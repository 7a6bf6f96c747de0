package dev.capuchin.core.internal.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.testing.EveryTransport;
import dev.capuchin.core.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The kernel out of file descriptors: a server in a process of its own
 * ({@link DescriptorLimitServer}) whose {@code RLIMIT_NOFILE} the test lowers with
 * {@code prlimit} to a few descriptors above what it has open, then more connections than
 * that. Accepting pauses without a busy loop (the process's CPU time stays low while
 * connections wait), the connections already accepted are served, the waiting ones are
 * accepted and served once others close, and the log says so once each way.
 */
@EveryTransport
@EnabledOnOs(OS.LINUX)
class DescriptorLimitTests {

	/** Descriptors the server may open beyond those it has when the limit is lowered. */
	private static final int HEADROOM = 8;

	/** Connections opened against the lowered limit: more than it allows. */
	private static final int CONNECTIONS = 3 * HEADROOM;

	/** Clock ticks per second of {@code /proc/<pid>/stat} (USER_HZ, 100 on Linux). */
	private static final int TICKS = 100;

	private static final Pattern PORT = Pattern.compile("^port (\\d+)$", Pattern.MULTILINE);

	@Parameter
	Transport transport;

	@TempDir
	Path temp;

	@Test
	void outOfDescriptorsAcceptingBacksOffServesOpenConnectionsAndResumesWhenTheyClose() throws Exception {
		assumeThat(this.transport.isAvailable()).as("%s is not available here", this.transport).isTrue();
		assumeThat(Path.of("/usr/bin/prlimit")).as("prlimit (util-linux) lowers the limit").exists();
		// measured: io_uring's accepts keep the limit the ring was set up with, so a
		// limit lowered on the running process does not bind them (the process went past
		// it)
		assumeThat(this.transport).as("a limit lowered with prlimit does not bind io_uring's accepts")
			.isNotEqualTo(Transport.IO_URING);
		Path output = this.temp.resolve("server.log");
		Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx128m", "-cp", System.getProperty("java.class.path"), DescriptorLimitServer.class.getName(),
				this.temp.toString(), this.transport.name())
			.redirectErrorStream(true)
			.redirectOutput(output.toFile())
			.start();
		List<Socket> connections = new ArrayList<>();
		try {
			int port = await("the server listens").atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> port(output), (found) -> found > 0);
			InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
			// the file is open in the FDT from here on, so serving it takes no new
			// descriptor
			RawHttp first = RawHttp.over(connect(address));
			assertThat(first.exchange(RawHttp.get("/a.txt", "localhost")).status()).isEqualTo(200);
			long limit = openDescriptors(server.pid()) + HEADROOM;
			Process prlimit = new ProcessBuilder("prlimit", "--pid", Long.toString(server.pid()),
					"--nofile=" + limit + ":" + limit)
				.inheritIO()
				.start();
			assertThat(prlimit.waitFor(10, TimeUnit.SECONDS) && prlimit.exitValue() == 0).as("prlimit").isTrue();

			for (int i = 0; i < CONNECTIONS; i++) {
				// the kernel completes the handshakes into the backlog; accept is what
				// fails
				connections.add(connect(address));
			}
			await("the log says accepting failed").atMost(Duration.ofSeconds(10))
				.until(() -> count(output, "cannot accept connections") == 1);
			assertThat(read(output)).contains("Too many open files");

			assertThat(first.exchange(RawHttp.get("/a.txt", "localhost")).status())
				.as("a connection open before the limit is still served")
				.isEqualTo(200);

			long cpuBefore = cpuTicks(server.pid());
			long wallBefore = System.nanoTime();
			await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
			long cpu = cpuTicks(server.pid()) - cpuBefore;
			long wall = (System.nanoTime() - wallBefore) / (1_000_000_000L / TICKS);
			assertThat(cpu).as("CPU ticks over %d wall ticks while accepting fails: no busy loop", wall)
				.isLessThan(wall / 4);

			Socket waiting = connections.get(CONNECTIONS - 1);
			RawHttp last = RawHttp.over(waiting);
			last.send(RawHttp.get("/a.txt", "localhost"));
			// free the descriptors of the first accepted connections
			first.close();
			for (int i = 0; i < 2 * HEADROOM; i++) {
				connections.get(i).close();
			}
			assertThat(last.read().status()).as("a connection that waited in the backlog is served").isEqualTo(200);
			await("the log says accepting works again").atMost(Duration.ofSeconds(10))
				.until(() -> count(output, "accepts connections again") == 1);
			assertThat(count(output, "cannot accept connections")).isEqualTo(1);
			assertThat(server.isAlive()).isTrue();
		}
		finally {
			for (Socket connection : connections) {
				connection.close();
			}
			server.getOutputStream().close();
			if (!server.waitFor(20, TimeUnit.SECONDS)) {
				server.destroyForcibly();
			}
		}
	}

	private static Socket connect(InetSocketAddress address) throws IOException {
		Socket socket = new Socket();
		socket.connect(address, 5000);
		// a waiting connection is answered within a second or two of the others closing
		socket.setSoTimeout(15_000);
		return socket;
	}

	private static int port(Path output) throws IOException {
		Matcher matcher = PORT.matcher(read(output));
		return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
	}

	private static long count(Path output, String text) throws IOException {
		return read(output).lines().filter((line) -> line.contains(text)).count();
	}

	private static String read(Path output) throws IOException {
		return Files.exists(output) ? Files.readString(output, StandardCharsets.ISO_8859_1) : "";
	}

	private static long openDescriptors(long pid) throws IOException {
		try (Stream<Path> descriptors = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
			return descriptors.count();
		}
	}

	/** User and system CPU time of a process, in clock ticks. */
	private static long cpuTicks(long pid) throws IOException {
		String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
		// the fields after the command name, which is in parentheses and may hold spaces
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
	}

}
