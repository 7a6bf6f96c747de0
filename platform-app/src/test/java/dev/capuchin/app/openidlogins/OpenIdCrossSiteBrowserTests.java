package dev.capuchin.app.openidlogins;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import dev.capuchin.app.shared.console.Browser;
import dev.capuchin.plugin.auth.OpenIdProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's sign-in in a real headless Chromium with the console on {@code localhost}
 * and the provider on {@code 127.0.0.1}: two sites, so the browser itself leaves out the
 * console's {@code SameSite=Strict} session cookie when the provider sends it back, and
 * the sign-in completes all the same.
 */
class OpenIdCrossSiteBrowserTests extends OpenIdLoginTestSupport {

	@RegisterExtension
	static final Browser chromium = new Browser();

	private OpenIdProvider provider;

	private String console(String path) {
		return "http://localhost:" + this.controlPort + path;
	}

	@BeforeEach
	void providerAndLogin() throws Exception {
		this.provider = OpenIdProvider.start(console("/console/login/openid/corp/callback"));
		HttpResponse<String> created = send("POST", "/api/openid-logins", ADMIN,
				toJson(Map.of("name", "corp", "issuer", this.provider.issuer(), "client-id", OpenIdProvider.CLIENT_ID,
						"client-secret", OpenIdProvider.CLIENT_SECRET, "user-claim", "preferred_username", "console",
						Map.of("claim", "groups", "roles", Map.of("admin", List.of("staff"))))));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		chromium.driver().manage().deleteAllCookies();
	}

	@AfterEach
	void stopProvider() throws Exception {
		if (this.provider != null) {
			this.provider.close();
		}
	}

	@Test
	void aSignInThroughAProviderOnAnotherSiteCompletes() {
		chromium.driver().get(console("/console/login"));
		chromium.click(By.id("sign-in-with-corp"));
		chromium.until(ExpectedConditions.urlContains(this.provider.issuer() + "/interaction/"));
		chromium.type(By.name("login"), "alice");
		chromium.type(By.name("password"), "any-password");
		chromium.click(By.tagName("button"));
		chromium.until(ExpectedConditions.urlToBe(console("/console/")));
		assertThat(chromium.driver().findElement(By.cssSelector("[id=sign-out]")).isDisplayed()).isTrue();
		assertThat(chromium.driver().getPageSource()).contains("corp:alice");
	}

}
