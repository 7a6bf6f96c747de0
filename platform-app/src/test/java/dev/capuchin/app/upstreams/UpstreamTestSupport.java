package dev.capuchin.app.upstreams;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;
import dev.capuchin.app.TestApplication;
import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.app.shared.console.ConsoleTestSupport;
import dev.capuchin.app.sites.SiteEntry;
import dev.capuchin.core.internal.site.SiteLoader;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * The application the upstream tests share: the console's, with the proxy plugin on and a
 * store of its own; real backends are JDK HTTP servers on loopback that answer with their
 * own name.
 */
@TestPropertySource(properties = { "capuchin.plugins.proxy.enabled=true", "capuchin.test.database=upstream-tests" })
public abstract class UpstreamTestSupport extends ConsoleTestSupport {

	protected static final String ADMIN = TestApplication.basic("admin:" + PASSWORD);

	private static final JsonMapper json = JsonMapper.shared();

	@Autowired
	protected ConfigService config;

	private final HttpClient http = HttpClient.newHttpClient();

	/**
	 * A backend on an ephemeral loopback port answering every request with 200 and
	 * {@code name}, its health path included. Stop it with {@code stop(0)}.
	 */
	protected static HttpServer backend(String name) throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/", (exchange) -> {
			byte[] body = name.getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		server.start();
		return server;
	}

	protected static String url(HttpServer backend) {
		return "http://127.0.0.1:" + backend.getAddress().getPort();
	}

	/**
	 * A served site of its own, made once per name, with these locations.
	 */
	protected void site(String name, String host, List<Map<String, Object>> locations) {
		if (this.config.current().entries().stream().anyMatch((entry) -> entry.name().equals(name))) {
			return;
		}
		Path root = documentRoot(name + "-root", "static " + name);
		Map<String, Object> keys = new LinkedHashMap<>();
		keys.put("name", name);
		keys.put("server-names", List.of(host));
		keys.put("document-root", root.toString());
		keys.put("locations", locations);
		List<SiteEntry> entries = new ArrayList<>(this.config.current().entries());
		entries.add(new SiteEntry(new SiteLoader(this.config.base()).parse(keys, null), true));
		this.config.apply(entries, "test", false);
	}

	/**
	 * A request to the API with the admin account's credentials.
	 */
	protected HttpResponse<String> api(String method, String path, Object body) throws Exception {
		return api(method, path, body, ADMIN);
	}

	protected HttpResponse<String> api(String method, String path, Object body, String authorization) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(control(path)))
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(
							(body instanceof String text) ? text : json.writeValueAsString(body),
							StandardCharsets.UTF_8) : HttpRequest.BodyPublishers.noBody());
		if (body != null) {
			request.header("Content-Type", "application/json");
		}
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@SuppressWarnings("unchecked")
	protected static Map<String, Object> object(HttpResponse<String> response) {
		return json.readValue(response.body(), Map.class);
	}

	@SuppressWarnings("unchecked")
	protected static List<Map<String, Object>> array(HttpResponse<String> response) {
		return json.readValue(response.body(), List.class);
	}

	/**
	 * The servers of an upstream as the API shows them.
	 */
	@SuppressWarnings("unchecked")
	protected List<Map<String, Object>> servers(String upstream) throws Exception {
		return (List<Map<String, Object>>) object(api("GET", "/api/upstreams/" + upstream, null)).get("servers");
	}

	/**
	 * An upstream's block with one server per URL.
	 */
	protected static Map<String, Object> upstream(String name, String balancer, String... urls) {
		Map<String, Object> block = new LinkedHashMap<>();
		block.put("name", name);
		block.put("balancer", balancer);
		block.put("servers", List.of(urls).stream().map((url) -> Map.of("url", url)).toList());
		return block;
	}

	/**
	 * A location that proxies everything under a path to an upstream.
	 */
	protected static Map<String, Object> proxied(String path, String upstream) {
		return Map.of("path", path, "proxy", Map.of("upstream", upstream));
	}

}
