package dev.capuchin.app.rules;

import dev.capuchin.app.shared.console.HeadlessChromium;
import dev.capuchin.app.shared.console.PluginsConsoleTestSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The access rules and logs pages in headless Chromium, under the console's content
 * security policy: a rule added through the form takes effect, and the log refreshes by
 * itself as requests arrive. With the system property {@code capuchin.screenshots} set to
 * a directory, it saves screenshots of both pages there.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleRulesAndLogsBrowserTests extends PluginsConsoleTestSupport {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private ChromeDriver driver;

	private WebDriverWait wait;

	private Path profile;

	@BeforeAll
	void startBrowser() throws IOException {
		this.profile = Files.createTempDirectory("capuchin-chromium-");
		this.driver = HeadlessChromium.start(this.profile);
		this.wait = new WebDriverWait(this.driver, WAIT);
		this.driver.get(control("/console/login"));
		type(By.id("username"), "admin");
		type(By.id("password"), PASSWORD);
		click(By.id("sign-in"));
		this.wait.until(ExpectedConditions.urlToBe(control("/console/")));
	}

	@AfterAll
	void stopBrowser() {
		if (this.driver != null) {
			this.driver.quit();
		}
	}

	@Test
	void aRuleAddedInTheFormIsListedAndApplied() throws Exception {
		site("browsed", Map.of("locations", List.of(Map.of("path", "/admin/"))));
		this.driver.get(control("/console/rules"));
		new Select(this.driver.findElement(By.id("site"))).selectByValue("browsed");
		new Select(this.driver.findElement(By.id("location"))).selectByValue("/admin/");
		new Select(this.driver.findElement(By.id("kind"))).selectByValue("uri-deny");
		type(By.id("value"), "regex:\\.bak$");
		click(By.id("add-rule-button"));
		WebElement flash = this.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("flash")));
		assertThat(flash.getText()).contains("Rule added to site browsed");
		assertThat(this.driver.findElement(By.id("rules-browsed")).getText())
			.contains("Paths matching the regular expression \\.bak$ are refused (403) under location /admin/.");
		write(TEMP.resolve("browsed-root/admin/db.bak"), "backup");
		assertThat(dataPlane("browsed.test", "/admin/db.bak").statusCode()).isEqualTo(403);
		type(By.id("value"), "not an address");
		new Select(this.driver.findElement(By.id("kind"))).selectByValue("ip-deny");
		click(By.id("add-rule-button"));
		WebElement error = this.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("value-error")));
		assertThat(error.getText()).isEqualTo("'not an address' is not an IP address or CIDR block");
		HeadlessChromium.screenshot(this.driver, "access-rules", 1280);
		HeadlessChromium.screenshot(this.driver, "access-rules-phone", 390);
	}

	@Test
	void theLogRefreshesByItselfAsRequestsArrive() throws Exception {
		Path access = TEMP.resolve("logs/browsed-live.access.log");
		site("live", Map.of("logger", Map.of("access-log", access.toString())));
		dataPlane("live.test", "/before");
		this.wait.until((driver) -> Files.exists(access) && read(access).contains("/before"));
		this.driver.get(control("/console/logs?site=live&log=access"));
		this.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("log-text"), "GET /before"));
		dataPlane("live.test", "/after-the-page-loaded");
		this.wait
			.until(ExpectedConditions.textToBePresentInElementLocated(By.id("log-text"), "GET /after-the-page-loaded"));
		assertThat(this.driver.getCurrentUrl()).isEqualTo(control("/console/logs?site=live&log=access"));
		HeadlessChromium.screenshot(this.driver, "logs", 1280);
		HeadlessChromium.screenshot(this.driver, "logs-phone", 390);
	}

	private static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			return "";
		}
	}

	private void type(By field, String text) {
		HeadlessChromium.type(this.wait, field, text);
	}

	private void click(By button) {
		HeadlessChromium.click(this.driver, this.wait, button);
	}

}
