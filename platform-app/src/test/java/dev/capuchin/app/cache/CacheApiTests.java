package dev.capuchin.app.cache;

import dev.capuchin.app.shared.config.StoreNotifications;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import dev.capuchin.app.upstreams.UpstreamTestSupport;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /api/cache} over real HTTP with the admin account, against a real backend on
 * loopback that counts its requests: a zone's figures and purges, and purges shared with
 * the other nodes through the store (another node is a second {@link StoredCachePurges}
 * on the same store; this context polls only at start, so the test polls).
 */
@TestPropertySource(properties = "capuchin.plugins.proxy.cache.zones.main.memory-size=1MB")
class CacheApiTests extends UpstreamTestSupport {

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	StoredCachePurges purges;

	private static HttpServer counting(AtomicInteger requests) throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/", (exchange) -> {
			requests.incrementAndGet();
			byte[] body = "cached".getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Cache-Control", "max-age=600");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		server.start();
		return server;
	}

	@Test
	void zonesListTheirEntriesAndHitRatioAndAUrlIsPurged() throws Exception {
		AtomicInteger requests = new AtomicInteger();
		HttpServer backend = counting(requests);
		try {
			site("cached-site", "cached.test", List.of(Map.of("path", "/app/", "proxy",
					Map.of("servers", List.of(url(backend)), "cache", Map.of("zone", "main")))));
			assertThat(dataPlane("cached.test", "/app/x").body()).isEqualTo("cached");
			assertThat(dataPlane("cached.test", "/app/x").body()).isEqualTo("cached");
			assertThat(requests).hasValue(1);
			Map<String, Object> main = array(api("GET", "/api/cache", null)).get(0);
			// the zone may hold other tests' entries: the context is shared
			assertThat(main).containsEntry("name", "main").containsKeys("memory-bytes", "stored-per-minute");
			assertThat(((Number) main.get("entries")).intValue()).isPositive();
			assertThat(((Number) main.get("hit-ratio")).doubleValue()).isPositive();

			assertThat(api("DELETE", "/api/cache/main?url=http://cached.test/app/y", null).body())
				.contains("\"removed\":0");
			HttpResponse<String> purged = api("DELETE", "/api/cache/main?url=http://cached.test/app/x", null);
			assertThat(purged.statusCode()).isEqualTo(200);
			assertThat(object(purged)).containsEntry("removed", 1);
			dataPlane("cached.test", "/app/x");
			assertThat(requests).hasValue(2);
		}
		finally {
			backend.stop(0);
		}
	}

	@Test
	void unknownZoneIs404AndUrlWithPrefixIs400() throws Exception {
		assertThat(api("DELETE", "/api/cache/other", null).statusCode()).isEqualTo(404);
		assertThat(api("DELETE", "/api/cache/main?url=http://a/&prefix=http://a/", null).statusCode()).isEqualTo(400);
	}

	@Test
	void purgeThroughTheApiIsKeptForTheOtherNodes() throws Exception {
		assertThat(api("DELETE", "/api/cache/main?prefix=http://kept.test/app/", null).statusCode()).isEqualTo(200);
		assertThat(this.jdbc.queryForObject("select count(*) from cache_purge where zone = 'main' and prefix = ?",
				Integer.class, "http://kept.test/app/"))
			.isEqualTo(1);
	}

	@Test
	void purgeStoredByAnotherNodeIsAppliedByThisNodesCache() throws Exception {
		AtomicInteger requests = new AtomicInteger();
		HttpServer backend = counting(requests);
		try {
			site("shared-site", "shared.test", List.of(Map.of("path", "/app/", "proxy",
					Map.of("servers", List.of(url(backend)), "cache", Map.of("zone", "main")))));
			dataPlane("shared.test", "/app/x");
			dataPlane("shared.test", "/app/x");
			assertThat(requests).hasValue(1);
			StoredCachePurges other = new StoredCachePurges(this.jdbc, StoreNotifications.none(), (zone, matches) -> 0,
					Duration.ZERO, Clock.systemUTC());
			assertThat(other.store(new StoredCachePurges.Purge("main", null, "http://shared.test/app/"))).isTrue();
			assertThat(this.purges.load()).isPositive();
			dataPlane("shared.test", "/app/x");
			assertThat(requests).hasValue(2);
			// applied once: the next poll leaves the new entry alone
			this.purges.load();
			dataPlane("shared.test", "/app/x");
			assertThat(requests).hasValue(2);
		}
		finally {
			backend.stop(0);
		}
	}

}
