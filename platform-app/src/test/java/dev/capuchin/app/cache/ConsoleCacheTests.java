package dev.capuchin.app.cache;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import dev.capuchin.app.upstreams.UpstreamTestSupport;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Cache page over a real session with CSRF tokens, as a browser posts them, against a
 * real backend on loopback that counts its requests.
 */
@TestPropertySource(properties = "capuchin.plugins.proxy.cache.zones.main.memory-size=1MB")
class ConsoleCacheTests extends UpstreamTestSupport {

	@Test
	void aPrefixIsPurgedAfterItsConfirmation() throws Exception {
		AtomicInteger requests = new AtomicInteger();
		HttpServer backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		backend.createContext("/", (exchange) -> {
			requests.incrementAndGet();
			byte[] body = "page".getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Cache-Control", "max-age=600");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		backend.start();
		try {
			site("console-cached", "console-cached.test", List.of(Map.of("path", "/", "proxy",
					Map.of("servers", List.of(url(backend)), "cache", Map.of("zone", "main")))));
			dataPlane("console-cached.test", "/a");
			dataPlane("console-cached.test", "/b");
			assertThat(requests).hasValue(2);
			HttpClient client = browser();
			assertThat(signIn(client, "admin", PASSWORD).statusCode()).isEqualTo(302);
			assertThat(httpGet(client, "/console/cache").body()).contains("id=\"zone-main\"", "id=\"purge-form\"");
			String prefix = URLEncoder.encode("http://console-cached.test/*", StandardCharsets.UTF_8);
			HttpResponse<String> confirm = httpGet(client, "/console/cache/purge?zone=main&url=" + prefix);
			assertThat(confirm.body()).contains("id=\"confirm-purge\"", "http://console-cached.test/");
			HttpResponse<String> purged = httpPost(client, "/console/cache/purge",
					"zone=main&url=" + prefix + "&_csrf=" + csrfToken(confirm.body()));
			assertThat(purged.statusCode()).isEqualTo(302);
			dataPlane("console-cached.test", "/a");
			dataPlane("console-cached.test", "/b");
			assertThat(requests).hasValue(4);
		}
		finally {
			backend.stop(0);
		}
	}

}
