package dev.capuchin.app.realms;

import dev.capuchin.app.shared.console.ConsoleTestSupport;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
 * The application the realm tests share: the console's, with the auth plugin on and a
 * store of its own.
 */
@TestPropertySource(properties = { "capuchin.plugins.auth.enabled=true", "capuchin.test.database=realm-tests" })
public abstract class RealmTestSupport extends ConsoleTestSupport {

	@Autowired
	protected ConfigService config;

	/**
	 * A served site of its own, made once per name, with pages under {@code /staff/} and
	 * {@code /}.
	 */
	protected void site(String name, String host, List<Map<String, Object>> locations) {
		if (this.config.current().entries().stream().anyMatch((entry) -> entry.name().equals(name))) {
			return;
		}
		Path root = documentRoot(name + "-root", "public " + name);
		write(root.resolve("staff/index.html"), "staff of " + name);
		Map<String, Object> keys = new LinkedHashMap<>();
		keys.put("name", name);
		keys.put("server-names", List.of(host));
		keys.put("document-root", root.toString());
		if (!locations.isEmpty()) {
			keys.put("locations", locations);
		}
		List<SiteEntry> entries = new ArrayList<>(this.config.current().entries());
		entries.add(new SiteEntry(new SiteLoader(this.config.base()).parse(keys, null), true));
		this.config.apply(entries, "test", false);
	}

	/**
	 * A GET on the data plane with a Host header and, unless {@code null}, Basic
	 * credentials {@code user:password}.
	 */
	protected Response dataPlane(String host, String path, String credentials) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", dataPlanePort())) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			String authorization = (credentials != null)
					? "Authorization: " + TestApplication.basic(credentials) + "\r\n" : "";
			out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + authorization
					+ "Connection: close\r\n\r\n")
				.getBytes(StandardCharsets.UTF_8));
			out.flush();
			String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			int status = Integer.parseInt(response.substring(9, 12));
			int body = response.indexOf("\r\n\r\n");
			return new Response(status, (body >= 0) ? response.substring(body + 4) : "");
		}
	}

}
