package dev.capuchin.app.sites;

import java.util.List;
import java.util.Map;

import dev.capuchin.app.shared.console.Browser;
import dev.capuchin.app.shared.console.PluginsConsoleTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Saves that would remove what a form does not show, in headless Chromium: the
 * confirmation page names the items, nothing changes until it is confirmed, and access
 * rules never leave with the YAML box's contents.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SiteSaveConfirmationBrowserTests extends PluginsConsoleTestSupport {

	@RegisterExtension
	static final Browser chromium = new Browser();

	@BeforeAll
	void signInAsAdmin() {
		chromium.driver().get(control("/console/login"));
		chromium.signIn("admin", PASSWORD);
		chromium.until(ExpectedConditions.urlToBe(control("/console/")));
	}

	@Test
	void replacingTheYamlBoxKeepsTheAccessRuleAndAsksBeforeRemovingABlock() throws Exception {
		site("confirm-boxed",
				Map.of("mandril", Map.of("uri", Map.of("deny", List.of("/secret/"))), "note", Map.of("x", 1)));
		write(TEMP.resolve("confirm-boxed-root/secret/a.txt"), "secret");
		chromium.driver().get(control("/console/sites/confirm-boxed"));
		WebElement box = chromium.driver().findElement(By.id("settings"));
		assertThat(box.getAttribute("value")).contains("note").doesNotContain("/secret/");
		box.clear();
		box.sendKeys("other: {y: 2}");
		chromium.click(By.id("save-site"));
		WebElement items = chromium.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-items")));
		assertThat(items.getText()).contains("removed plugin block note on confirm-boxed")
			.doesNotContain("access rule");
		assertThat(chromium.driver().findElement(By.id("confirm-diff")).getText()).contains("note:");
		assertThat(stored("confirm-boxed").site().settings()).containsKey("note");
		chromium.click(By.id("confirm-change"));
		assertThat(chromium.flash()).contains("Site confirm-boxed saved")
			.contains("removed: plugin block note on confirm-boxed");
		assertThat(stored("confirm-boxed").site().settings()).containsKey("other").doesNotContainKey("note");
		assertThat(dataPlane("confirm-boxed.test", "/secret/a.txt").statusCode()).isEqualTo(403);
	}

	@Test
	void removingALocationNamesItsAccessRuleAndNothingChangesUntilConfirmed() throws Exception {
		site("confirm-guarded", Map.of("locations",
				List.of(Map.of("path", "/admin/", "mandril", Map.of("uri", Map.of("deny", List.of("/secret/")))))));
		write(TEMP.resolve("confirm-guarded-root/admin/secret/a.txt"), "secret");
		chromium.driver().get(control("/console/sites/confirm-guarded"));
		chromium.click(By.id("remove-location-0"));
		WebElement items = chromium.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-items")));
		assertThat(items.getText())
			.contains("removed access rule uri-deny /secret/ at location /admin/ on confirm-guarded");
		assertThat(stored("confirm-guarded").site().locations()).hasSize(1);
		assertThat(dataPlane("confirm-guarded.test", "/admin/secret/a.txt").statusCode()).isEqualTo(403);
		chromium.click(By.id("confirm-change"));
		assertThat(chromium.flash()).contains("removed: location /admin/ on confirm-guarded");
		assertThat(stored("confirm-guarded").site().locations()).isEmpty();
		assertThat(dataPlane("confirm-guarded.test", "/admin/secret/a.txt").statusCode()).isEqualTo(200);
	}

	private SiteEntry stored(String name) {
		return this.config.current()
			.entries()
			.stream()
			.filter((entry) -> entry.name().equals(name))
			.findFirst()
			.orElseThrow();
	}

}
