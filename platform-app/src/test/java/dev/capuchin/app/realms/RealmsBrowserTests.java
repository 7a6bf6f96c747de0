package dev.capuchin.app.realms;

import dev.capuchin.app.shared.console.Browser;
import dev.capuchin.app.shared.console.HeadlessChromium;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

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

	@RegisterExtension
	static final Browser chromium = new Browser();

	@Test
	@Order(1)
	void theEmptyListSaysHowToStart() {
		chromium.driver().get(control("/console/realms"));
		chromium.until(ExpectedConditions.urlContains("/console/login"));
		chromium.signIn("admin", PASSWORD);
		chromium.until(ExpectedConditions.urlToBe(control("/console/realms")));
		assertThat(chromium.driver().findElement(By.id("realms-empty")).getText()).contains("Protect with a realm");
		assertThat(chromium.driver().findElement(By.cssSelector("#console-nav a.active")).getText())
			.isEqualTo("Realms");
	}

	@Test
	@Order(2)
	void aRealmMadeInTheBrowserProtectsALocationChosenFromTheSelect() throws Exception {
		site("browser-staff", "browser-staff.test", List.of());
		chromium.click(By.id("new-realm"));
		chromium.type(By.id("name"), "Staff");
		chromium.type(By.id("description"), "The staff pages");
		chromium.click(By.id("create-realm"));
		chromium.until(ExpectedConditions.urlToBe(control("/console/realms/Staff")));
		assertThat(chromium.flash()).contains("Realm Staff created");
		chromium.type(By.id("username"), "alice");
		chromium.type(By.id("password"), "alice-pass-1");
		chromium.type(By.id("confirm"), "alice-pass-1");
		chromium.click(By.id("add-user"));
		chromium.until(ExpectedConditions.visibilityOfElementLocated(By.id("user-alice")));
		assertThat(chromium.flash()).contains("User alice added to realm Staff");

		chromium.driver().get(control("/console/sites/browser-staff/locations/new"));
		chromium.type(By.id("value"), "/staff/");
		new Select(chromium.driver().findElement(By.id("realm"))).selectByValue("Staff");
		chromium.click(By.id("save-location"));
		chromium.until(ExpectedConditions.urlContains("/console/sites/browser-staff"));
		assertThat(chromium.flash()).contains("Location added");
		assertThat(dataPlane("browser-staff.test", "/staff/", null).statusCode()).isEqualTo(401);
		assertThat(dataPlane("browser-staff.test", "/staff/", "alice:alice-pass-1").statusCode()).isEqualTo(200);

		chromium.driver().get(control("/console/realms"));
		assertThat(chromium.driver().findElement(By.id("realm-Staff")).getText()).contains("Staff", "The staff pages",
				"1", "browser-staff · path /staff/");
		chromium.driver().get(control("/console/realms/Staff"));
		chromium.driver().manage().window().setSize(new Dimension(1280, 1050));
		HeadlessChromium.screenshot(chromium.driver(), "realms");
		chromium.driver().manage().window().setSize(new Dimension(1280, 900));
		chromium.driver().get(control("/console/sites/browser-staff/locations/0"));
		assertThat(new Select(chromium.driver().findElement(By.id("realm"))).getFirstSelectedOption().getText())
			.isEqualTo("Staff");
	}

	@Test
	@Order(3)
	void atPhoneWidthTheRealmPagesDoNotScrollSideways() {
		chromium.driver().manage().window().setSize(new Dimension(390, 844));
		try {
			for (String page : List.of("/console/realms", "/console/realms/Staff",
					"/console/realms/Staff/users/alice")) {
				chromium.driver().get(control(page));
				chromium.until(ExpectedConditions.visibilityOfElementLocated(By.tagName("h1")));
				Map<?, ?> widths = (Map<?, ?>) ((JavascriptExecutor) chromium.driver())
					.executeScript("return {scroll: document.documentElement.scrollWidth, view: window.innerWidth};");
				assertThat(((Number) widths.get("scroll")).intValue()).as(page)
					.isLessThanOrEqualTo(((Number) widths.get("view")).intValue());
			}
		}
		finally {
			chromium.driver().manage().window().setSize(new Dimension(1280, 900));
		}
	}

}
