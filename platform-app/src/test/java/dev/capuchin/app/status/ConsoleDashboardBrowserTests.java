package dev.capuchin.app.status;

import java.util.List;
import java.util.Map;

import dev.capuchin.app.shared.console.Browser;
import dev.capuchin.app.shared.console.HeadlessChromium;
import dev.capuchin.app.shared.console.PluginsConsoleTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in headless Chromium, at desktop and phone width with axe-core: the
 * uptime moves, each site's answers are counted by status class over the last minutes
 * with a text summary, recent 401, 403 and 404 answers show beside the 5xx, and the
 * summary is a polite live region. With {@code capuchin.screenshots} set it saves the
 * README's screenshot.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleDashboardBrowserTests extends PluginsConsoleTestSupport {

	@RegisterExtension
	static final Browser chromium = new Browser();

	@BeforeAll
	void signIn() throws Exception {
		if (api("GET", "/api/realms/Staff", null).statusCode() == 404) {
			assertThat(api("POST", "/api/realms", "{\"name\": \"Staff\"}").statusCode()).isEqualTo(201);
			assertThat(
					api("POST", "/api/realms/Staff/users", "{\"name\": \"alice\", \"password\": \"alice-password-1\"}")
						.statusCode())
				.isEqualTo(201);
		}
		chromium.width(Browser.DESKTOP);
		chromium.driver().get(control("/console/login"));
		chromium.signIn("admin", PASSWORD);
		chromium.until(ExpectedConditions.urlToBe(control("/console/")));
	}

	@Test
	void theUptimeMovesWhileThePageIsOpen() {
		chromium.driver().get(control("/console/"));
		String first = chromium.driver().findElement(By.id("uptime")).getText();
		chromium.until((driver) -> !driver.findElement(By.id("uptime")).getText().equals(first));
	}

	@Test
	void answersAreCountedPerSiteByStatusClassAndRefusalsShowBesideTheErrors() throws Exception {
		site("counted", Map.of("mandril", Map.of("uri", Map.of("deny", List.of("/secret"))), "locations",
				List.of(Map.of("path", "/staff/", "auth", Map.of("realm", "Staff")))));
		chromium.driver().get(control("/console/"));
		for (int i = 0; i < 5; i++) {
			assertThat(dataPlane("counted.test", "/").statusCode()).isEqualTo(200);
		}
		assertThat(dataPlane("counted.test", "/missing.html").statusCode()).isEqualTo(404);
		assertThat(dataPlane("counted.test", "/secret/plans").statusCode()).isEqualTo(403);
		assertThat(dataPlane("counted.test", "/staff/").statusCode()).isEqualTo(401);
		assertThat(dataPlaneRaw("BREW /pot HTTP/1.1\r\nHost: counted.test\r\nConnection: close\r\n\r\n"))
			.startsWith("HTTP/1.1 501");
		// the counts reach the page through its polls (samples every 2 seconds)
		WebElement row = chromium.until((driver) -> {
			List<WebElement> rows = driver.findElements(By.id("answers-counted"));
			return (!rows.isEmpty() && rows.get(0).getText().equals("counted 5 0 3 1")) ? rows.get(0) : null;
		});
		assertThat(row.findElement(By.tagName("th")).getText()).isEqualTo("counted");
		chromium.until(ExpectedConditions.textToBePresentInElementLocated(By.id("refusals"), "GET /secret/plans"));
		assertThat(chromium.driver().findElement(By.id("refusals")).getText()).contains("GET /missing.html",
				"GET /staff/", "401", "403", "404");
		chromium.until(ExpectedConditions.textToBePresentInElementLocated(By.id("errors"), "BREW /pot"));
		// the summary is redrawn every 2 seconds: read it where a redraw is read again
		chromium.until((driver) -> {
			String summary = driver.findElement(By.id("answers-summary")).getText();
			return summary.startsWith("In the last") && summary.contains("answers (") && summary.contains(" 2xx, ")
					&& summary.contains(" 5xx)");
		});
		WebElement live = chromium.driver().findElement(By.id("live-summary"));
		assertThat(live.getAttribute("aria-live")).isEqualTo("polite");
		chromium.until((
				driver) -> driver.findElement(By.id("live-summary")).getAttribute("textContent").contains("answers ("));
		chromium.until((driver) -> driver.findElements(By.cssSelector("#answers-chart .u-legend .u-series"))
			.stream()
			.anyMatch((series) -> series.getText().contains("4xx")));
		chromium.accessible();
		chromium.driver().manage().window().setSize(new Dimension(Browser.DESKTOP, 1500));
		HeadlessChromium.screenshot(chromium.driver(), "dashboard");
		chromium.width(Browser.PHONE);
		chromium.until((driver) -> driver.findElement(By.id("answers-counted")).isDisplayed());
		chromium.accessible();
		HeadlessChromium.screenshot(chromium.driver(), "dashboard-phone", Browser.PHONE);
		chromium.width(Browser.DESKTOP);
	}

}
