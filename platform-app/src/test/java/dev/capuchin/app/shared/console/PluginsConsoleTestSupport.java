package dev.capuchin.app.shared.console;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.capuchin.app.TestApplication;
import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.app.sites.SiteEntry;
import dev.capuchin.core.internal.site.SiteLoader;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * The console with the mandril, auth and logger plugins running (one context, a store of
 * its own), for the access rules, protection and logs pages. Tests add the sites they
 * need under their own names.
 */
@TestPropertySource(properties = { "capuchin.plugins.mandril.enabled=true", "capuchin.plugins.logger.enabled=true",
		"capuchin.plugins.auth.enabled=true", "capuchin.plugins.logger.flush-interval=50ms",
		"capuchin.test.database=plugins-console-tests" })
public abstract class PluginsConsoleTestSupport extends ConsoleTestSupport {

	@Autowired
	protected ConfigService config;

	/**
	 * Add a site with an {@code index.html} and more site-file keys.
	 */
	protected void site(String name, Map<String, Object> keys) {
		Map<String, Object> all = new LinkedHashMap<>(keys);
		all.put("name", name);
		all.put("server-names", List.of(name + ".test"));
		all.put("document-root", documentRoot(name + "-root", name).toString());
		List<SiteEntry> entries = new ArrayList<>(this.config.current().entries());
		entries.add(new SiteEntry(new SiteLoader(TEMP).parse(all, name), true));
		this.config.apply(entries, "test", false);
	}

	/**
	 * Send a raw request to the data plane and read the answer until the server closes or
	 * 5 seconds pass (send {@code Connection: close}).
	 */
	protected String dataPlaneRaw(String request) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", dataPlanePort())) {
			socket.setSoTimeout(5000);
			OutputStream out = socket.getOutputStream();
			out.write(request.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
		}
	}

	/**
	 * A signed-in admin's browser.
	 */
	protected HttpClient admin() throws Exception {
		HttpClient client = browser();
		signIn(client, "admin", PASSWORD);
		return client;
	}

	protected HttpResponse<String> api(String method, String path, String json) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(control(path)))
			.header("Authorization", TestApplication.basic("admin:" + PASSWORD));
		if (json != null) {
			request.header("Content-Type", "application/json")
				.method(method, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
		}
		else {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
