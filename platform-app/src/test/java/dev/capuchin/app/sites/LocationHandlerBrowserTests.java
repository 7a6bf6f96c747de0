package dev.capuchin.app.sites;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;
import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.app.shared.console.Browser;
import dev.capuchin.app.shared.console.ConsoleTestSupport;
import dev.capuchin.core.internal.site.SiteLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The location form in a real headless Chromium: a proxy location added through the form
 * to a backend on loopback is served at once. Needs the proxy plugin on the class path;
 * without it the class is skipped, saying so.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestPropertySource(
		properties = { "capuchin.test.database=location-handler-browser", "capuchin.plugins.proxy.enabled=true" })
@EnabledIf(value = "proxyPluginPresent",
		disabledReason = "the proxy plugin (dev.capuchin.plugin.proxy.ProxyPlugin) is not on the class path:"
				+ " add plugin-proxy to platform-app's dependencies to run this test")
class LocationHandlerBrowserTests extends ConsoleTestSupport {

	@RegisterExtension
	static final Browser chromium = new Browser();

	@Autowired
	ConfigService config;

	private HttpServer backend;

	static boolean proxyPluginPresent() {
		return ClassUtils.isPresent("dev.capuchin.plugin.proxy.ProxyPlugin", null);
	}

	@BeforeAll
	void startBackend() throws IOException {
		this.backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.backend.createContext("/", (exchange) -> {
			byte[] body = ("backend saw " + exchange.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "text/plain");
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		this.backend.start();
	}

	@AfterAll
	void stopBackend() {
		if (this.backend != null) {
			this.backend.stop(0);
		}
	}

	@Test
	void aProxyLocationAddedThroughTheFormIsServedAtOnce() throws Exception {
		site("proxied-browser", "proxied-browser.test");
		String backendUrl = "http://127.0.0.1:" + this.backend.getAddress().getPort();
		chromium.driver().get(control("/console/sites/proxied-browser/locations/new"));
		chromium.until(ExpectedConditions.urlContains("/console/login"));
		chromium.signIn("admin", PASSWORD);
		chromium.until(ExpectedConditions.urlToBe(control("/console/sites/proxied-browser/locations/new")));
		assertThat(chromium.driver().findElement(By.id("handler-proxy")).isDisplayed()).isFalse();
		chromium.type(By.id("value"), "/app/");
		new Select(chromium.driver().findElement(By.id("handler"))).selectByValue("proxy");
		chromium.until(ExpectedConditions.visibilityOfElementLocated(By.id("handler-proxy")));
		assertThat(chromium.driver().findElement(By.id("handler-cgi")).isDisplayed()).isFalse();
		chromium.type(By.id("proxyServers"), backendUrl);
		new Select(chromium.driver().findElement(By.id("proxyBalancer"))).selectByValue("round-robin");
		chromium.click(By.id("proxyStripPrefix"));
		chromium.click(By.id("save-location"));
		chromium.until(ExpectedConditions.urlContains("/console/sites/proxied-browser"));
		assertThat(chromium.flash()).contains("Location added");
		assertThat(chromium.driver().findElement(By.id("location-handler-0")).getText())
			.isEqualTo("Proxy → " + backendUrl + " (round-robin)");
		await().untilAsserted(() -> {
			Response response = dataPlane("proxied-browser.test", "/app/hello");
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).startsWith("backend saw ").endsWith("hello").doesNotContain("/app");
		});
	}

	private void site(String name, String host) {
		Path root = documentRoot(name + "-root", "public " + name);
		Map<String, Object> keys = new LinkedHashMap<>();
		keys.put("name", name);
		keys.put("server-names", List.of(host));
		keys.put("document-root", root.toString());
		List<SiteEntry> entries = new ArrayList<>(this.config.current().entries());
		entries.add(new SiteEntry(new SiteLoader(this.config.base()).parse(keys, null), true));
		this.config.apply(entries, "test", false);
	}

}
