package dev.capuchin.core.fdt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;

import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;
import dev.capuchin.core.worker.Worker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

@EnabledOnOs(OS.LINUX)
class SharedDescriptorSocketTests {

	private static final int SIZE = 32 * 1024 * 1024;

	@TempDir
	Path temp;

	@Test
	void twoConcurrentDownloadsOfOneFileOnOneWorkerHoldOneDescriptor() throws Exception {
		byte[] content = new byte[SIZE];
		new Random(7).nextBytes(content);
		try (KernelFixture kernel = KernelFixture.builder(this.temp)
			.workers(1)
			.transport("epoll")
			.file("big.bin", content)
			.start()) {
			Path file = kernel.root().resolve("big.bin").toRealPath();
			try (RawHttp first = kernel.connect(); RawHttp second = kernel.connect()) {
				// both requests are sent and neither body is read yet: the socket buffers
				// fill and
				// both responses stay in flight on the one worker
				first.send(RawHttp.get("/big.bin", "localhost"));
				second.send(RawHttp.get("/big.bin", "localhost"));
				awaitInFlight(kernel);
				assertThat(descriptorsOpenOn(file)).isEqualTo(1);
				Worker worker = kernel.server().workers().get(0);
				assertThat(worker.fdt().openCount()).isEqualTo(1);
				assertThat(worker.fdt().hits()).isEqualTo(1);
				assertThat(worker.fdt().misses()).isEqualTo(1);
				String expected = sha256(content);
				assertThat(sha256(first.read().body())).isEqualTo(expected);
				assertThat(sha256(second.read().body())).isEqualTo(expected);
			}
		}
	}

	@Test
	void aSmallFileRewrittenOnDiskIsServedFresh() throws Exception {
		try (KernelFixture kernel = KernelFixture.builder(this.temp).workers(1).file("page.txt", "first").start();
				RawHttp client = kernel.connect()) {
			assertThat(client.exchange(RawHttp.get("/page.txt", "localhost")).text()).isEqualTo("first");
			Path file = kernel.root().resolve("page.txt");
			Files.writeString(file, "second, longer");
			assertThat(client.exchange(RawHttp.get("/page.txt", "localhost")).text()).isEqualTo("second, longer");
			Files.writeString(file, "third!");
			Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 5000));
			assertThat(client.exchange(RawHttp.get("/page.txt", "localhost")).text()).isEqualTo("third!");
		}
	}

	private static void awaitInFlight(KernelFixture kernel) throws InterruptedException {
		Worker worker = kernel.server().workers().get(0);
		long deadline = System.nanoTime() + 5_000_000_000L;
		while (worker.fdt().hits() + worker.fdt().misses() < 2 && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		Thread.sleep(50);
	}

	/**
	 * Descriptors of this process open on {@code file}, read from {@code /proc/self/fd}.
	 */
	private static long descriptorsOpenOn(Path file) throws IOException {
		try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
			return fds.filter((fd) -> {
				try {
					return Files.readSymbolicLink(fd).equals(file);
				}
				catch (IOException ex) {
					return false;
				}
			}).count();
		}
	}

	private static String sha256(byte[] bytes) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
	}

}
