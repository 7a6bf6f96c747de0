package dev.capuchin.core.internal.fdt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;

import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.testing.EveryTransport;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;
import dev.capuchin.core.internal.worker.Worker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@EveryTransport
class SharedDescriptorSocketTests {

	private static final int SIZE = 32 * 1024 * 1024;

	@TempDir
	Path temp;

	@Parameter
	Transport transport;

	@Test
	@EnabledOnOs(value = OS.LINUX, disabledReason = "counts descriptors in /proc/self/fd")
	void twoConcurrentDownloadsOfOneFileOnOneWorkerHoldOneDescriptor() throws Exception {
		byte[] content = new byte[SIZE];
		new Random(7).nextBytes(content);
		try (KernelFixture kernel = KernelFixture.builder(this.temp)
			.transport(this.transport)
			.workers(1)
			.file("big.bin", content)
			.start()) {
			Path file = kernel.root().resolve("big.bin").toRealPath();
			try (RawHttp first = kernel.connect(); RawHttp second = kernel.connect()) {
				// both requests are sent and neither body is read yet: the socket buffers
				// fill and
				// both responses stay in flight on the one worker
				first.send(RawHttp.get("/big.bin", "localhost"));
				second.send(RawHttp.get("/big.bin", "localhost"));
				Worker worker = kernel.server().workers().get(0);
				await().atMost(Duration.ofSeconds(5)).until(() -> worker.fdt().hits() + worker.fdt().misses() == 2);
				// two private descriptors would stay open while both bodies are unread
				await().atMost(Duration.ofSeconds(5))
					.untilAsserted(() -> assertThat(descriptorsOpenOn(file)).isEqualTo(1));
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
	void aSmallFileRewrittenOnDiskIsServedFreshWhenFilesAreCheckedOnEveryRequest() throws Exception {
		try (KernelFixture kernel = KernelFixture.builder(this.temp)
			.transport(this.transport)
			.workers(1)
			.settings((settings) -> settings.withFdt(settings.fdt().withValid(Duration.ZERO)))
			.file("page.txt", "first")
			.start(); RawHttp client = kernel.connect()) {
			assertThat(client.exchange(RawHttp.get("/page.txt", "localhost")).text()).isEqualTo("first");
			Path file = kernel.root().resolve("page.txt");
			Files.writeString(file, "second, longer");
			assertThat(client.exchange(RawHttp.get("/page.txt", "localhost")).text()).isEqualTo("second, longer");
			Files.writeString(file, "third!");
			Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 5000));
			assertThat(client.exchange(RawHttp.get("/page.txt", "localhost")).text()).isEqualTo("third!");
		}
	}

	@Test
	void aFileRewrittenOnDiskIsServedWholeAsItWasUntilTheValidityEndsThenFresh() throws Exception {
		try (KernelFixture kernel = KernelFixture.builder(this.temp)
			.transport(this.transport)
			.workers(1)
			.settings((settings) -> settings.withFdt(settings.fdt().withValid(Duration.ofMillis(300))))
			.file("page.txt", "first")
			.start(); RawHttp client = kernel.connect()) {
			RawHttp.Response first = client.exchange(RawHttp.get("/page.txt", "localhost"));
			assertThat(first.text()).isEqualTo("first");
			Path file = kernel.root().resolve("page.txt");
			Files.writeString(file, "second, longer");
			Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 5000));
			long rewritten = System.nanoTime();
			RawHttp.Response trusted = client.exchange(RawHttp.get("/page.txt", "localhost"));
			if (System.nanoTime() - rewritten < 250_000_000L) {
				// within the validity: the old representation, whole and with its own
				// validators, never a mix of old headers and new bytes
				assertThat(trusted.text()).isEqualTo("first");
				assertThat(trusted.header("etag")).isEqualTo(first.header("etag"));
			}
			// once the validity has run out, the next request sees the file as it is now
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
				RawHttp.Response fresh = client.exchange(RawHttp.get("/page.txt", "localhost"));
				assertThat(fresh.text()).isEqualTo("second, longer");
				assertThat(fresh.header("etag")).isNotEqualTo(first.header("etag"));
			});
		}
	}

	@Test
	void aFileDeletedWithinTheValidityIsNotFoundOnceItsDescriptorIsGone() throws Exception {
		try (KernelFixture kernel = KernelFixture.builder(this.temp)
			.transport(this.transport)
			.workers(1)
			.settings((settings) -> settings.withFdt(new FdtSettings(FdtSettings.DEFAULT_BUCKETS,
					FdtSettings.DEFAULT_SLOTS, false, FdtSettings.DEFAULT_IDLE_TIMEOUT, Duration.ofMinutes(5))))
			.file("page.txt", "first")
			.start(); RawHttp client = kernel.connect()) {
			assertThat(client.exchange(RawHttp.get("/page.txt", "localhost")).text()).isEqualTo("first");
			Files.delete(kernel.root().resolve("page.txt"));
			// nothing holds the file open (no retention): the trusted entry is dropped
			// when
			// the file cannot be opened, and the request is resolved afresh
			assertThat(client.exchange(RawHttp.get("/page.txt", "localhost")).status()).isEqualTo(404);
		}
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
