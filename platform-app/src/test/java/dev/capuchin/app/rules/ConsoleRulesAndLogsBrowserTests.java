package dev.capuchin.app.rules;

import dev.capuchin.app.shared.console.Browser;
import dev.capuchin.app.shared.console.HeadlessChromium;
import dev.capuchin.app.shared.console.PluginsConsoleTestSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The access rules and logs pages in headless Chromium, under the console's content
 * security policy: a rule added through the form takes effect, and the log refreshes by
 * itself as requests arrive. With the system property {@code capuchin.screenshots} set to
 * a directory, it saves screenshots of both pages there.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleRulesAndLogsBrowserTests extends PluginsConsoleTestSupport {

	@RegisterExtension
	static final Browser chromium = new Browser();

	@BeforeAll
	void signInAsAdmin() {
		chromium.driver().get(control("/console/login"));
		chromium.signIn("admin", PASSWORD);
		chromium.until(ExpectedConditions.urlToBe(control("/console/")));
	}

	@Test
	void aRuleAddedInTheFormIsListedAndApplied() throws Exception {
		site("browsed", Map.of("locations", List.of(Map.of("path", "/admin/"))));
		chromium.driver().get(control("/console/rules"));
		new Select(chromium.driver().findElement(By.id("site"))).selectByValue("browsed");
		// choosing the site reloads the form with that site's locations
		chromium.until(ExpectedConditions.textToBe(By.id("chosen-site"), "browsed"));
		new Select(chromium.driver().findElement(By.id("location"))).selectByValue("/admin/");
		new Select(chromium.driver().findElement(By.id("kind"))).selectByValue("uri-deny");
		chromium.type(By.id("value"), "regex:\\.bak$");
		chromium.click(By.id("add-rule-button"));
		WebElement flash = chromium.until(ExpectedConditions.visibilityOfElementLocated(By.id("flash")));
		assertThat(flash.getText()).contains("Rule added to site browsed");
		assertThat(chromium.driver().findElement(By.id("rules-browsed")).getText())
			.contains("Paths matching the regular expression \\.bak$ are refused (403) under location /admin/.");
		write(TEMP.resolve("browsed-root/admin/db.bak"), "backup");
		assertThat(dataPlane("browsed.test", "/admin/db.bak").statusCode()).isEqualTo(403);
		chromium.type(By.id("value"), "not an address");
		new Select(chromium.driver().findElement(By.id("kind"))).selectByValue("ip-deny");
		chromium.click(By.id("add-rule-button"));
		WebElement error = chromium.until(ExpectedConditions.visibilityOfElementLocated(By.id("value-error")));
		assertThat(error.getText()).isEqualTo("'not an address' is not an IP address or CIDR block");
		// the form stays on the site it added to
		assertThat(chromium.driver().findElement(By.id("chosen-site")).getText()).isEqualTo("browsed");
		chromium.accessible();
		HeadlessChromium.screenshot(chromium.driver(), "access-rules", Browser.DESKTOP);
		chromium.width(Browser.PHONE);
		chromium.accessible();
		HeadlessChromium.screenshot(chromium.driver(), "access-rules-phone", Browser.PHONE);
		chromium.width(Browser.DESKTOP);
	}

	@Test
	void theLogRefreshesByItselfAsRequestsArrive() throws Exception {
		Path access = TEMP.resolve("logs/browsed-live.access.log");
		site("live", Map.of("logger", Map.of("access-log", access.toString())));
		dataPlane("live.test", "/before");
		chromium.until((driver) -> Files.exists(access) && read(access).contains("/before"));
		chromium.driver().get(control("/console/logs?site=live&log=access"));
		chromium.until(ExpectedConditions.textToBePresentInElementLocated(By.id("log-text"), "GET /before"));
		dataPlane("live.test", "/after-the-page-loaded");
		chromium
			.until(ExpectedConditions.textToBePresentInElementLocated(By.id("log-text"), "GET /after-the-page-loaded"));
		assertThat(chromium.driver().getCurrentUrl()).isEqualTo(control("/console/logs?site=live&log=access"));
		HeadlessChromium.screenshot(chromium.driver(), "logs", 1280);
		HeadlessChromium.screenshot(chromium.driver(), "logs-phone", 390);
	}

	private static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			return "";
		}
	}

}
