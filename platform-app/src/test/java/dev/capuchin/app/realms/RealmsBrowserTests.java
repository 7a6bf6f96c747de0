package dev.capuchin.app.realms;

import dev.capuchin.app.shared.console.HeadlessChromium;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Realms pages in a real headless Chromium, one journey in order: the empty list, a
 * realm created with a user, a location protected by choosing the realm in the location
 * form, the data plane asking for the realm's users, and the pages at phone width. With
 * the system property {@code capuchin.screenshots} set, it saves the README's
 * {@code realms} screenshot.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestPropertySource(properties = "capuchin.test.database=realms-browser")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealmsBrowserTests extends RealmTestSupport {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private ChromeDriver driver;

	private WebDriverWait wait;

	private Path profile;

	@BeforeAll
	void startBrowser() throws IOException {
		this.profile = Files.createTempDirectory("capuchin-chromium-");
		this.driver = HeadlessChromium.start(this.profile);
		this.wait = new WebDriverWait(this.driver, WAIT);
	}

	@AfterAll
	void stopBrowser() {
		if (this.driver != null) {
			this.driver.quit();
		}
	}

	@Test
	@Order(1)
	void theEmptyListSaysHowToStart() {
		this.driver.get(control("/console/realms"));
		this.wait.until(ExpectedConditions.urlContains("/console/login"));
		type(By.id("username"), "admin");
		type(By.id("password"), PASSWORD);
		click(By.id("sign-in"));
		this.wait.until(ExpectedConditions.urlToBe(control("/console/realms")));
		assertThat(this.driver.findElement(By.id("realms-empty")).getText()).contains("Protect with a realm");
		assertThat(this.driver.findElement(By.cssSelector("#console-nav a.active")).getText()).isEqualTo("Realms");
	}

	@Test
	@Order(2)
	void aRealmMadeInTheBrowserProtectsALocationChosenFromTheSelect() throws Exception {
		site("browser-staff", "browser-staff.test", List.of());
		click(By.id("new-realm"));
		type(By.id("name"), "Staff");
		type(By.id("description"), "The staff pages");
		click(By.id("create-realm"));
		this.wait.until(ExpectedConditions.urlToBe(control("/console/realms/Staff")));
		assertThat(flash()).contains("Realm Staff created");
		type(By.id("username"), "alice");
		type(By.id("password"), "alice-pass-1");
		type(By.id("confirm"), "alice-pass-1");
		click(By.id("add-user"));
		this.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("user-alice")));
		assertThat(flash()).contains("User alice added to realm Staff");

		this.driver.get(control("/console/sites/browser-staff/locations/new"));
		type(By.id("value"), "/staff/");
		new Select(this.driver.findElement(By.id("realm"))).selectByValue("Staff");
		click(By.id("save-location"));
		this.wait.until(ExpectedConditions.urlContains("/console/sites/browser-staff"));
		assertThat(flash()).contains("Location added");
		assertThat(dataPlane("browser-staff.test", "/staff/", null).statusCode()).isEqualTo(401);
		assertThat(dataPlane("browser-staff.test", "/staff/", "alice:alice-pass-1").statusCode()).isEqualTo(200);

		this.driver.get(control("/console/realms"));
		assertThat(this.driver.findElement(By.id("realm-Staff")).getText()).contains("Staff", "The staff pages", "1",
				"browser-staff · path /staff/");
		this.driver.get(control("/console/realms/Staff"));
		this.driver.manage().window().setSize(new Dimension(1280, 1050));
		HeadlessChromium.screenshot(this.driver, "realms");
		this.driver.manage().window().setSize(new Dimension(1280, 900));
		this.driver.get(control("/console/sites/browser-staff/locations/0"));
		assertThat(new Select(this.driver.findElement(By.id("realm"))).getFirstSelectedOption().getText())
			.isEqualTo("Staff");
	}

	@Test
	@Order(3)
	void atPhoneWidthTheRealmPagesDoNotScrollSideways() {
		this.driver.manage().window().setSize(new Dimension(390, 844));
		try {
			for (String page : List.of("/console/realms", "/console/realms/Staff",
					"/console/realms/Staff/users/alice")) {
				this.driver.get(control(page));
				this.wait.until(ExpectedConditions.visibilityOfElementLocated(By.tagName("h1")));
				Map<?, ?> widths = (Map<?, ?>) ((JavascriptExecutor) this.driver)
					.executeScript("return {scroll: document.documentElement.scrollWidth, view: window.innerWidth};");
				assertThat(((Number) widths.get("scroll")).intValue()).as(page)
					.isLessThanOrEqualTo(((Number) widths.get("view")).intValue());
			}
		}
		finally {
			this.driver.manage().window().setSize(new Dimension(1280, 900));
		}
	}

	private void type(By field, String text) {
		HeadlessChromium.type(this.wait, field, text);
	}

	private void click(By button) {
		HeadlessChromium.click(this.driver, this.wait, button);
	}

	private String flash() {
		return HeadlessChromium.flash(this.wait);
	}

}
