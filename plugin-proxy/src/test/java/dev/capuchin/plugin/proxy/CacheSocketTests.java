package dev.capuchin.plugin.proxy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.testing.EveryTransport;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;
import io.netty.handler.codec.DateFormatter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The proxy cache over real sockets, against a real backend that counts its requests:
 * freshness and its directives, variants, the client's conditional and range requests,
 * revalidation, stale serving, invalidation and eviction. Time moves on an injected
 * clock. Runs on every transport.
 */
@EveryTransport
class CacheSocketTests {

	@TempDir
	Path temp;

	@Parameter
	Transport transport;

	@RegisterExtension
	final Closing closing = new Closing();

	private final MutableClock clock = new MutableClock();

	private final AtomicReference<String> body = new AtomicReference<>("v1");

	private KernelFixture kernel;

	/**
	 * A backend answering the current body with the given headers; 304 when the tag
	 * matches.
	 */
	private Backend backend(String... headers) {
		Backend backend = Backend.handling("a", (request, response) -> answer(request, response, headers));
		this.closing.add(backend);
		return backend;
	}

	private Mono<Void> answer(HttpServerRequest request, HttpServerResponse response, String... headers) {
		for (int i = 0; i < headers.length; i += 2) {
			response.header(headers[i], headers[i + 1]);
		}
		String tag = response.responseHeaders().get("ETag");
		if (tag != null && tag.equals(request.requestHeaders().get("If-None-Match"))) {
			return response.status(304).send();
		}
		return response.header("Content-Type", "text/plain").sendString(Mono.just(this.body.get())).then();
	}

	private void start(Backend backend, Map<String, Object> cache) throws Exception {
		start(backend, cache, CacheZoneSettings.inMemory("main", 1024 * 1024));
	}

	private void start(Backend backend, Map<String, Object> cache, CacheZoneSettings zone) throws Exception {
		Map<String, Object> proxy = new LinkedHashMap<>();
		proxy.put("servers", List.of(backend.url()));
		proxy.put("cache", cache);
		this.kernel = this.closing.add(KernelFixture.builder(this.temp)
			.transport(this.transport)
			.plugin(new ProxyPlugin(ProxySettings.DEFAULTS.withCacheZones(zone), ProxyListener.NONE, this.clock))
			.defaultSite(Backend.proxied("/app/", proxy))
			.start());
	}

	private RawHttp.Response get(String path, String... headers) throws Exception {
		return request("GET", path, headers);
	}

	private RawHttp.Response request(String method, String path, String... headers) throws Exception {
		StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n");
		for (int i = 0; i < headers.length; i += 2) {
			request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
		}
		if (method.equals("POST")) {
			request.append("Content-Length: 0\r\n");
		}
		request.append("Connection: close\r\n\r\n");
		try (RawHttp http = this.kernel.connect()) {
			return http.exchange(request.toString());
		}
	}

	private String cacheStatus(String path, String... headers) throws Exception {
		return get(path, headers).header("Cache-Status");
	}

	/** Asks for a path and checks that the zone answered it from an entry. */
	private void assertHit(String path, String... headers) throws Exception {
		assertThat(cacheStatus(path, headers)).startsWith("capuchin/main; hit");
	}

	/** Asks for a path and checks that it went upstream for want of an entry. */
	private void assertMiss(String path, String... headers) throws Exception {
		assertThat(cacheStatus(path, headers)).startsWith("capuchin/main; fwd=miss");
	}

	private static final Map<String, Object> MAIN = Map.of("zone", "main");

	@Test
	void freshResponseIsAnsweredFromTheCacheWithAge() throws Exception {
		Backend a = backend("Cache-Control", "max-age=60");
		start(a, MAIN);
		RawHttp.Response first = get("/app/x");
		this.clock.advance(Duration.ofSeconds(5));
		RawHttp.Response second = get("/app/x");
		assertThat(a.received).hasSize(1);
		assertThat(first.header("Cache-Status")).isEqualTo("capuchin/main; fwd=miss; stored; ttl=60");
		assertThat(second.status()).isEqualTo(200);
		assertThat(second.text()).isEqualTo("v1");
		assertThat(second.header("Content-Type")).isEqualTo("text/plain");
		assertThat(second.header("Age")).isEqualTo("5");
		assertThat(second.header("Cache-Status")).isEqualTo("capuchin/main; hit; ttl=55");
	}

	@Test
	void expiredEntryGoesUpstreamAgain() throws Exception {
		Backend a = backend("Cache-Control", "max-age=10");
		start(a, MAIN);
		get("/app/x");
		this.clock.advance(Duration.ofSeconds(11));
		this.body.set("v2");
		RawHttp.Response second = get("/app/x");
		assertThat(a.received).hasSize(2);
		assertThat(second.text()).isEqualTo("v2");
		assertThat(second.header("Cache-Status")).startsWith("capuchin/main; fwd=stale; fwd-status=200; stored");
	}

	@Test
	void sMaxAgeWinsOverMaxAge() throws Exception {
		Backend a = backend("Cache-Control", "max-age=0, s-maxage=60");
		start(a, MAIN);
		get("/app/x");
		this.clock.advance(Duration.ofSeconds(30));
		assertThat(cacheStatus("/app/x")).isEqualTo("capuchin/main; hit; ttl=30");
		assertThat(a.received).hasSize(1);
	}

	@Test
	void expiresGivesFreshnessWithoutMaxAge() throws Exception {
		long now = this.clock.millis();
		Backend a = backend("Date", DateFormatter.format(new Date(now)), "Expires",
				DateFormatter.format(new Date(now + 120_000)));
		start(a, MAIN);
		get("/app/x");
		this.clock.advance(Duration.ofSeconds(60));
		assertThat(cacheStatus("/app/x")).startsWith("capuchin/main; hit; ttl=");
		this.clock.advance(Duration.ofSeconds(61));
		assertThat(cacheStatus("/app/x")).startsWith("capuchin/main; fwd=stale");
		assertThat(a.received).hasSize(2);
	}

	@Test
	void lastModifiedOnlyIsFreshForTheHeuristicFraction() throws Exception {
		long now = this.clock.millis();
		// modified 1000 s ago: fresh for 100 s at the default 10 %
		Backend a = backend("Last-Modified", DateFormatter.format(new Date(now - 1_000_000)));
		start(a, MAIN);
		get("/app/x");
		this.clock.advance(Duration.ofSeconds(90));
		assertHit("/app/x");
		this.clock.advance(Duration.ofSeconds(20));
		get("/app/x");
		assertThat(a.received).hasSize(2);
		assertThat(a.last().headers().get("If-Modified-Since"))
			.isEqualTo(DateFormatter.format(new Date(now - 1_000_000)));
	}

	@Test
	void noStoreIsNeverStored() throws Exception {
		Backend a = backend("Cache-Control", "no-store, max-age=60");
		start(a, MAIN);
		assertThat(cacheStatus("/app/x")).isEqualTo("capuchin/main; fwd=miss; detail=no-store");
		get("/app/x");
		assertThat(a.received).hasSize(2);
	}

	@Test
	void privateIsNotStoredByThisSharedCache() throws Exception {
		Backend a = backend("Cache-Control", "private, max-age=60");
		start(a, MAIN);
		get("/app/x");
		assertThat(cacheStatus("/app/x")).isEqualTo("capuchin/main; fwd=miss; detail=private");
		assertThat(a.received).hasSize(2);
	}

	@Test
	void noCacheIsRevalidatedOnEveryUse() throws Exception {
		Backend a = backend("Cache-Control", "no-cache", "ETag", "\"t1\"");
		start(a, MAIN);
		get("/app/x");
		RawHttp.Response second = get("/app/x");
		assertThat(a.received).hasSize(2);
		assertThat(a.last().headers().get("If-None-Match")).isEqualTo("\"t1\"");
		assertThat(second.status()).isEqualTo(200);
		assertThat(second.text()).isEqualTo("v1");
		assertThat(second.header("Cache-Status")).startsWith("capuchin/main; fwd=stale; fwd-status=304");
	}

	@Test
	void mustRevalidateIsNotServedStaleWhenTheServerIsDown() throws Exception {
		Backend a = backend("Cache-Control", "max-age=10, must-revalidate, stale-if-error=60", "Connection", "close");
		start(a, MAIN);
		get("/app/x");
		a.close();
		this.clock.advance(Duration.ofSeconds(11));
		RawHttp.Response failed = get("/app/x");
		assertThat(failed.status()).isEqualTo(502);
		assertThat(failed.header("Cache-Status")).isEqualTo("capuchin/main; fwd=stale");
	}

	@Test
	void authorizedRequestIsStoredOnlyWhenTheResponseAllowsIt() throws Exception {
		Backend a = backend("Cache-Control", "max-age=60");
		start(a, MAIN);
		assertThat(cacheStatus("/app/x", "Authorization", "Basic dTpw"))
			.isEqualTo("capuchin/main; fwd=miss; detail=authorization");
		get("/app/x", "Authorization", "Basic dTpw");
		assertThat(a.received).hasSize(2);
		Backend b = backend("Cache-Control", "public, max-age=60");
		this.kernel.close();
		start(b, MAIN);
		get("/app/y", "Authorization", "Basic dTpw");
		assertHit("/app/y", "Authorization", "Basic dTpw");
		assertThat(b.received).hasSize(1);
	}

	@Test
	void setCookieIsNotStoredUnlessTheLocationSaysSo() throws Exception {
		Backend a = backend("Cache-Control", "max-age=60", "Set-Cookie", "s=1");
		start(a, MAIN);
		get("/app/x");
		assertThat(cacheStatus("/app/x")).isEqualTo("capuchin/main; fwd=miss; detail=set-cookie");
		this.kernel.close();
		start(a, Map.of("zone", "main", "store-set-cookie", true));
		get("/app/x");
		RawHttp.Response hit = get("/app/x");
		assertThat(hit.header("Cache-Status")).startsWith("capuchin/main; hit");
		assertThat(hit.header("Set-Cookie")).isEqualTo("s=1");
		assertThat(a.received).hasSize(3);
	}

	@Test
	void varyStoresOneEntryPerVariant() throws Exception {
		Backend a = backend("Cache-Control", "max-age=60", "Vary", "Accept-Language");
		start(a, MAIN);
		get("/app/x", "Accept-Language", "en");
		get("/app/x", "Accept-Language", "fr");
		assertHit("/app/x", "Accept-Language", "en");
		assertHit("/app/x", "Accept-Language", "fr");
		assertThat(a.received).hasSize(2);
	}

	@Test
	void acceptEncodingIsNormalisedSoSpellingsShareAVariant() throws Exception {
		Backend a = backend("Cache-Control", "max-age=60", "Vary", "Accept-Encoding");
		start(a, MAIN);
		get("/app/x", "Accept-Encoding", "gzip, br");
		assertHit("/app/x", "Accept-Encoding", "br;q=1.0,gzip, x-unknown");
		assertMiss("/app/x", "Accept-Encoding", "gzip");
		assertThat(a.received).hasSize(2);
	}

	@Test
	void keyAddsTheLocationsHeadersAndCookies() throws Exception {
		Backend a = backend("Cache-Control", "max-age=60");
		start(a, Map.of("zone", "main", "key", Map.of("headers", List.of("X-Tenant"), "cookies", List.of("lang"))));
		get("/app/x", "X-Tenant", "one");
		get("/app/x", "X-Tenant", "two");
		get("/app/x", "X-Tenant", "two", "Cookie", "lang=fr; other=1");
		assertHit("/app/x", "X-Tenant", "two", "Cookie", "other=2; lang=fr");
		assertThat(a.received).hasSize(3);
	}

	@Test
	void clientConditionalIsAnsweredFromTheEntry() throws Exception {
		Backend a = backend("Cache-Control", "max-age=60", "ETag", "\"t1\"");
		start(a, MAIN);
		get("/app/x");
		RawHttp.Response conditional = get("/app/x", "If-None-Match", "\"t1\"");
		assertThat(conditional.status()).isEqualTo(304);
		assertThat(conditional.body()).isEmpty();
		assertThat(conditional.header("ETag")).isEqualTo("\"t1\"");
		assertThat(get("/app/x", "If-None-Match", "\"t0\"").status()).isEqualTo(200);
		assertThat(a.received).hasSize(1);
	}

	@Test
	void rangeIsAnsweredFromTheEntry() throws Exception {
		this.body.set("0123456789");
		Backend a = backend("Cache-Control", "max-age=60");
		start(a, MAIN);
		get("/app/x");
		RawHttp.Response range = get("/app/x", "Range", "bytes=2-4");
		assertThat(range.status()).isEqualTo(206);
		assertThat(range.text()).isEqualTo("234");
		assertThat(range.header("Content-Range")).isEqualTo("bytes 2-4/10");
		assertThat(get("/app/x", "Range", "bytes=20-").status()).isEqualTo(416);
		assertThat(a.received).hasSize(1);
	}

	@Test
	void headIsAnsweredFromAStoredGet() throws Exception {
		Backend a = backend("Cache-Control", "max-age=60");
		start(a, MAIN);
		get("/app/x");
		RawHttp.Response head = request("HEAD", "/app/x");
		assertThat(head.status()).isEqualTo(200);
		assertThat(head.header("Content-Length")).isEqualTo("2");
		assertThat(head.body()).isEmpty();
		assertThat(a.received).hasSize(1);
	}

	@Test
	void staleEntryIsRevalidatedAndThe304RefreshesIt() throws Exception {
		Backend a = backend("Cache-Control", "max-age=10", "ETag", "\"t1\"", "X-Version", "1");
		start(a, MAIN);
		get("/app/x");
		this.clock.advance(Duration.ofSeconds(11));
		a.handler((request, response) -> answer(request, response, "Cache-Control", "max-age=10", "ETag", "\"t1\"",
				"X-Version", "2"));
		RawHttp.Response revalidated = get("/app/x");
		assertThat(a.received).hasSize(2);
		assertThat(a.last().headers().get("If-None-Match")).isEqualTo("\"t1\"");
		assertThat(revalidated.text()).isEqualTo("v1");
		assertThat(revalidated.header("X-Version")).isEqualTo("2");
		assertThat(revalidated.header("Cache-Status")).isEqualTo("capuchin/main; fwd=stale; fwd-status=304; ttl=10");
		assertHit("/app/x");
		assertThat(a.received).hasSize(2);
	}

	@Test
	void staleWhileRevalidateAnswersStaleAndRefreshesInTheBackground() throws Exception {
		Backend a = backend("Cache-Control", "max-age=10, stale-while-revalidate=30");
		start(a, MAIN);
		get("/app/x");
		this.clock.advance(Duration.ofSeconds(11));
		this.body.set("v2");
		RawHttp.Response stale = get("/app/x");
		assertThat(stale.text()).isEqualTo("v1");
		assertThat(stale.header("Cache-Status")).isEqualTo("capuchin/main; hit; ttl=-1; detail=stale-while-revalidate");
		await().atMost(Duration.ofSeconds(10)).until(() -> get("/app/x").text().equals("v2"));
		assertThat(a.received).hasSize(2);
	}

	@Test
	void staleIfErrorAnswersStaleWhenTheServerIsStopped() throws Exception {
		// no pooled connection outlives the stopped backend
		Backend a = backend("Cache-Control", "max-age=10, stale-if-error=60", "Connection", "close");
		start(a, MAIN);
		get("/app/x");
		a.close();
		this.clock.advance(Duration.ofSeconds(11));
		RawHttp.Response stale = get("/app/x");
		assertThat(stale.status()).isEqualTo(200);
		assertThat(stale.text()).isEqualTo("v1");
		assertThat(stale.header("Cache-Status")).isEqualTo("capuchin/main; fwd=stale; detail=stale-if-error");
		this.clock.advance(Duration.ofSeconds(60));
		RawHttp.Response late = get("/app/x");
		assertThat(late.status()).as(late.header("Cache-Status") + " " + late.header("Age")).isEqualTo(502);
	}

	@Test
	void staleIfErrorAnswersStaleWhenTheServerAnswers500() throws Exception {
		Backend a = backend("Cache-Control", "max-age=10, stale-if-error=60");
		start(a, MAIN);
		get("/app/x");
		a.handler((request, response) -> response.status(500).sendString(Mono.just("down")));
		this.clock.advance(Duration.ofSeconds(11));
		RawHttp.Response stale = get("/app/x");
		assertThat(stale.status()).isEqualTo(200);
		assertThat(stale.text()).isEqualTo("v1");
		assertThat(stale.header("Cache-Status"))
			.isEqualTo("capuchin/main; fwd=stale; fwd-status=500; detail=stale-if-error");
		assertThat(a.received).hasSize(2);
	}

	@Test
	void zoneOverridesTheResponsesStaleIfError() throws Exception {
		Backend a = backend("Cache-Control", "max-age=10", "Connection", "close");
		start(a, MAIN, new CacheZoneSettings("main", 1024 * 1024, null, 0, 1024 * 1024, 0.1, null,
				Duration.ofMinutes(5), Duration.ofSeconds(5)));
		get("/app/x");
		a.close();
		this.clock.advance(Duration.ofSeconds(200));
		assertThat(get("/app/x").text()).isEqualTo("v1");
	}

	@Test
	void postInvalidatesItsUriAndItsLocation() throws Exception {
		Backend a = backend("Cache-Control", "max-age=60");
		start(a, MAIN);
		get("/app/a");
		get("/app/b");
		get("/app/c");
		a.handler((request, response) -> request.method().name().equals("POST")
				? response.status(201).header("Location", "/app/b").send()
				: answer(request, response, "Cache-Control", "max-age=60"));
		RawHttp.Response post = request("POST", "/app/a");
		assertThat(post.status()).isEqualTo(201);
		assertThat(post.header("Cache-Status")).isEqualTo("capuchin/main; fwd=method");
		assertMiss("/app/a");
		assertMiss("/app/b");
		assertHit("/app/c");
	}

	@Test
	void leastRecentlyUsedEntryIsEvictedFirst() throws Exception {
		this.body.set("x".repeat(1000));
		Backend a = backend("Cache-Control", "max-age=60");
		// room for three entries of about 1.4 KB each (body, headers, keys)
		start(a, MAIN, CacheZoneSettings.inMemory("main", 5000));
		get("/app/a");
		get("/app/b");
		get("/app/c");
		get("/app/a");
		get("/app/d");
		assertHit("/app/a");
		assertMiss("/app/b");
	}

	@Test
	void bodyLongerThanTheLargestEntryStreamsUnstored() throws Exception {
		this.body.set("x".repeat(5000));
		Backend a = backend("Cache-Control", "max-age=60");
		start(a, MAIN,
				new CacheZoneSettings("main", 1024 * 1024, null, 0, 4096, 0.1, null, null, Duration.ofSeconds(5)));
		RawHttp.Response first = get("/app/x");
		assertThat(first.body()).hasSize(5000);
		assertThat(first.header("Cache-Status")).isEqualTo("capuchin/main; fwd=miss; detail=too-large");
		get("/app/x");
		assertThat(a.received).hasSize(2);
	}

	static String text(RawHttp.Response response) {
		return new String(response.body(), StandardCharsets.UTF_8);
	}

}
