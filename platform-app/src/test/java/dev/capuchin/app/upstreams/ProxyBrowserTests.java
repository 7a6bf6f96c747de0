package dev.capuchin.app.upstreams;

import java.util.List;

import com.sun.net.httpserver.HttpServer;
import dev.capuchin.app.shared.console.Browser;
import dev.capuchin.app.shared.console.HeadlessChromium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Proxy page in a real headless Chromium: an upstream created in the form serves at
 * once, and when its backend stops, its row turns to down without a reload (the page
 * polls its live fragment; the upstream's active health check notices the backend is
 * gone). With the system property {@code capuchin.screenshots} set, it saves the
 * {@code proxy} screenshot of docs/console.md.
 */
class ProxyBrowserTests extends UpstreamTestSupport {

	@RegisterExtension
	static final Browser chromium = new Browser();

	@Test
	void anUpstreamMadeInTheFormServesAtOnceAndAStoppedBackendTurnsItsRowDownWithoutAReload() throws Exception {
		HttpServer backend = backend("browser backend");
		HttpServer spare = backend("spare backend");
		String server = url(backend);
		String row = "#upstream-browsed tr.upstream-server[data-url='" + server + "']";
		try {
			chromium.driver().get(control("/console/proxy"));
			chromium.until(ExpectedConditions.urlContains("/console/login"));
			chromium.signIn("admin", PASSWORD);
			chromium.until(ExpectedConditions.urlToBe(control("/console/proxy")));
			assertThat(chromium.driver().findElement(By.cssSelector("#console-nav a.active")).getText())
				.isEqualTo("Proxy");
			chromium.click(By.id("new-upstream"));
			chromium.type(By.id("name"), "browsed");
			new Select(chromium.driver().findElement(By.id("balancer"))).selectByValue("first-alive");
			chromium.type(By.id("servers"), server + "\n" + url(spare) + " backup");
			chromium.type(By.id("healthPath"), "/health");
			chromium.type(By.id("healthInterval"), "2s");
			chromium.click(By.id("save-upstream"));
			chromium.until(ExpectedConditions.urlContains("/console/proxy#upstream-browsed"));
			assertThat(chromium.flash()).contains("Upstream browsed created");

			site("browsed-site", "browsed.test", List.of(proxied("/", "browsed")));
			assertThat(dataPlane("browsed.test", "/").body()).isEqualTo("browser backend");
			chromium.until(ExpectedConditions.attributeToBe(By.cssSelector(row), "data-state", "up"));
			// the row is redrawn by the live refresh: read it through waits that retry a
			// stale element
			chromium.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#upstream-browsed"),
					"first-alive"));
			chromium.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#upstream-browsed"),
					"browsed-site · path /"));

			chromium.driver().executeScript("window.capuchinMarker = 'not reloaded';");
			backend.stop(0);
			chromium.until(ExpectedConditions.attributeToBe(By.cssSelector(row), "data-state", "down"));
			chromium.until(ExpectedConditions.textToBe(By.cssSelector(row + " .server-state"), "down"));
			assertThat(chromium.driver().executeScript("return window.capuchinMarker;")).isEqualTo("not reloaded");
			assertThat(dataPlane("browsed.test", "/").body()).isEqualTo("spare backend");
			HeadlessChromium.screenshot(chromium.driver(), "proxy", 1280);
		}
		finally {
			backend.stop(0);
			spare.stop(0);
		}
	}

}
