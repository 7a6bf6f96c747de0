package dev.capuchin.plugin.proxy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.testing.EveryTransport;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;
import dev.capuchin.core.testing.TestCertificates;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cache's disk tier over real sockets, against a real backend that counts its
 * requests: entries that leave memory are answered from disk (ranges and conditionals
 * too, in plain HTTP and over TLS), survive a restart on the same directory, are evicted
 * least recently used first within the disk budget, and a damaged or cut-short file is
 * refused, deleted and counted while the request goes upstream. Runs on every transport.
 */
@EveryTransport
class DiskCacheSocketTests {

	/**
	 * A body that, with its headers and key, takes about 1.3 KB in memory and on disk.
	 */
	private static final String BODY = "0123456789".repeat(100);

	@TempDir
	Path temp;

	@Parameter
	Transport transport;

	private final MutableClock clock = new MutableClock();

	private final AtomicReference<String> body = new AtomicReference<>(BODY);

	@RegisterExtension
	final Closing closing = new Closing();

	private Backend backend;

	private ProxyPlugin plugin;

	private KernelFixture kernel;

	private TestCertificates.Issued tls;

	private Path directory() {
		return this.temp.resolve("cache");
	}

	private void backend() {
		this.backend = Backend.handling("a", (request, response) -> {
			response.header("Cache-Control", "max-age=60").header("ETag", "\"t1\"");
			if ("\"t1\"".equals(request.requestHeaders().get("If-None-Match"))) {
				return response.status(304).send();
			}
			return response.header("Content-Type", "text/plain").sendString(Mono.just(this.body.get())).then();
		});
		this.closing.add(this.backend);
	}

	/** Memory for one entry; disk for three. */
	private void start() throws Exception {
		start(new CacheZoneSettings("main", 2000, directory().toString(), 4000, 2000, 0.1, null, null,
				Duration.ofSeconds(5)));
	}

	private void start(CacheZoneSettings zone) throws Exception {
		this.plugin = new ProxyPlugin(ProxySettings.DEFAULTS.withCacheZones(zone), ProxyListener.NONE, this.clock);
		this.kernel = this.closing.add(KernelFixture.builder(this.temp)
			.transport(this.transport)
			.plugin(this.plugin)
			.listener((listener) -> (this.tls != null) ? listener.withTls(this.tls.tls(), false) : listener)
			.defaultSite(Backend.proxied("/app/",
					Map.of("servers", List.of(this.backend.url()), "cache", Map.of("zone", "main"))))
			.start());
	}

	private void restart() throws Exception {
		if (this.kernel != null) {
			this.kernel.close();
			this.kernel = null;
		}
		start();
		await().atMost(Duration.ofSeconds(10)).until(() -> !zone().diskIndexing());
	}

	private void stop() {
		this.kernel.close();
		this.kernel = null;
	}

	private CacheZoneState zone() {
		return this.plugin.cacheZones().get(0);
	}

	private void awaitOnDisk(int entries) {
		await().atMost(Duration.ofSeconds(10)).until(() -> zone().diskEntries() == entries);
	}

	private RawHttp.Response get(String path, String... headers) throws Exception {
		StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n");
		for (int i = 0; i < headers.length; i += 2) {
			request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
		}
		request.append("Connection: close\r\n\r\n");
		if (this.tls != null) {
			SSLContext client = TestCertificates.trusting(List.of(this.tls.certificate()));
			try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", this.kernel.port());
					RawHttp http = RawHttp.over(socket)) {
				socket.startHandshake();
				return http.exchange(request.toString());
			}
		}
		try (RawHttp http = this.kernel.connect()) {
			return http.exchange(request.toString());
		}
	}

	private void assertHit(String path) throws Exception {
		RawHttp.Response hit = get(path);
		assertThat(hit.header("Cache-Status")).startsWith("capuchin/main; hit");
		assertThat(hit.text()).isEqualTo(BODY);
	}

	private void assertMiss(String path) throws Exception {
		assertThat(get(path).header("Cache-Status")).startsWith("capuchin/main; fwd=miss");
	}

	/** Store {@code /app/a}, then push it out of memory with {@code /app/b}. */
	private void storeOnDisk() throws Exception {
		get("/app/a");
		get("/app/b");
		awaitOnDisk(1);
	}

	private List<Path> files() throws IOException {
		try (Stream<Path> files = Files.walk(directory())) {
			return files.filter((file) -> file.toString().endsWith(".entry")).toList();
		}
	}

	@Test
	void entryEvictedFromMemoryIsAHitFromDisk() throws Exception {
		backend();
		start();
		storeOnDisk();
		assertThat(files()).hasSize(1);
		assertHit("/app/a");
		assertThat(this.backend.received).hasSize(2);
		assertThat(zone().diskBytes()).isGreaterThan(BODY.length());
	}

	@Test
	void diskEntryIsReadOverTls() throws Exception {
		this.tls = TestCertificates.issue(this.temp.resolve("certificates"), "localhost", "127.0.0.1");
		backend();
		start();
		storeOnDisk();
		assertHit("/app/a");
		assertThat(this.backend.received).hasSize(2);
	}

	@Test
	void rangeIsAnsweredFromADiskEntry() throws Exception {
		backend();
		start();
		storeOnDisk();
		RawHttp.Response range = get("/app/a", "Range", "bytes=12-15");
		assertThat(range.status()).isEqualTo(206);
		assertThat(range.text()).isEqualTo("2345");
		assertThat(range.header("Content-Range")).isEqualTo("bytes 12-15/1000");
		assertThat(this.backend.received).hasSize(2);
	}

	@Test
	void conditionalIsAnsweredFromADiskEntry() throws Exception {
		backend();
		start();
		storeOnDisk();
		RawHttp.Response conditional = get("/app/a", "If-None-Match", "\"t1\"");
		assertThat(conditional.status()).isEqualTo(304);
		assertThat(conditional.body()).isEmpty();
		assertThat(conditional.header("Cache-Status")).startsWith("capuchin/main; hit");
		assertThat(this.backend.received).hasSize(2);
	}

	@Test
	void restartServesTheStoredEntryWithoutTheBackend() throws Exception {
		backend();
		start();
		get("/app/a");
		// a stop writes what is in memory too
		restart();
		assertThat(zone().diskEntries()).isEqualTo(1);
		this.backend.close();
		assertHit("/app/a");
		assertThat(this.backend.received).hasSize(1);
	}

	@Test
	void damagedEntryIsRefusedDeletedAndCounted() throws Exception {
		backend();
		start();
		get("/app/a");
		stop();
		Path file = files().get(0);
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
			// a digit of the body becomes a letter: same length, other bytes
			channel.write(ByteBuffer.wrap(new byte[] { 'x' }), channel.size() - 10);
		}
		restart();
		assertThat(zone().diskCorrupt()).isEqualTo(1);
		assertThat(zone().diskEntries()).isZero();
		assertThat(file).doesNotExist();
		assertMiss("/app/a");
		assertThat(this.backend.received).hasSize(2);
	}

	@Test
	void entryCutShortAtStartIsRefusedDeletedAndCounted() throws Exception {
		backend();
		start();
		get("/app/a");
		stop();
		Path file = files().get(0);
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
			channel.truncate(channel.size() - 100);
		}
		restart();
		assertThat(zone().diskCorrupt()).isEqualTo(1);
		assertThat(file).doesNotExist();
		assertMiss("/app/a");
		assertThat(this.backend.received).hasSize(2);
	}

	@Test
	void entryCutShortWhileServingIsRefusedDeletedAndCounted() throws Exception {
		backend();
		start();
		storeOnDisk();
		Path file = files().get(0);
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
			channel.truncate(channel.size() - 100);
		}
		assertMiss("/app/a");
		assertThat(zone().diskCorrupt()).isEqualTo(1);
		await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(file));
		assertThat(this.backend.received).hasSize(3);
	}

	@Test
	void diskBudgetEvictsTheLeastRecentlyUsed() throws Exception {
		backend();
		start();
		get("/app/a");
		get("/app/b");
		awaitOnDisk(1);
		get("/app/c");
		awaitOnDisk(2);
		get("/app/d");
		awaitOnDisk(3);
		// a is the oldest on disk; a hit makes b the least recently used
		assertHit("/app/a");
		get("/app/e");
		await().atMost(Duration.ofSeconds(10)).until(() -> zone().evicted() == 1);
		assertThat(zone().diskEntries()).isEqualTo(3);
		assertThat(zone().diskBytes()).isLessThanOrEqualTo(4000);
		assertHit("/app/a");
		assertMiss("/app/b");
	}

}
