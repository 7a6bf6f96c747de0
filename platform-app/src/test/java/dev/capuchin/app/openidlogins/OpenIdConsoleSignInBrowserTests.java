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
 * The console's single sign-on in a real headless Chromium against a real provider (the
 * npm {@code oidc-provider}): the sign-in page offers the login beside the form, a person
 * whose groups map to admin gets the admin pages, a person whose groups map to no role is
 * refused with a page saying why (and an audit entry), and the password form sends a name
 * of a domain that must use the login to it.
 */
class OpenIdConsoleSignInBrowserTests extends OpenIdLoginTestSupport {

	@RegisterExtension
	static final Browser chromium = new Browser();

	private OpenIdProvider provider;

	@BeforeEach
	void providerAndLogin() throws Exception {
		this.provider = OpenIdProvider.start(control("/console/login/openid/corp/callback"));
		HttpResponse<String> created = send("POST", "/api/openid-logins", ADMIN,
				toJson(Map.of("name", "corp", "issuer", this.provider.issuer(), "client-id", OpenIdProvider.CLIENT_ID,
						"client-secret", OpenIdProvider.CLIENT_SECRET, "scopes", List.of("openid", "email", "profile"),
						"user-claim", "preferred_username", "console",
						Map.of("claim", "groups", "roles",
								Map.of("admin", List.of("staff"), "viewer", List.of("readers")), "required-domains",
								List.of("example.test")))));
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
	void aPersonWhoseGroupMapsToAdminSignsInThroughTheLoginAndSeesTheAdminPages() {
		chromium.driver().get(control("/console/users"));
		chromium.until(ExpectedConditions.urlContains("/console/login"));
		assertThat(chromium.driver().findElement(By.id("sign-in-with-corp")).getText()).isEqualTo("Sign in with corp");
		assertThat(chromium.driver().findElement(By.id("login-form")).isDisplayed()).isTrue();
		chromium.click(By.id("sign-in-with-corp"));
		signInAtProvider("alice");
		chromium.until(ExpectedConditions.urlToBe(control("/console/users")));
		assertThat(chromium.driver().getTitle()).doesNotContain("Not allowed");
		assertThat(chromium.driver().findElement(By.cssSelector("[id=sign-out]")).isDisplayed()).isTrue();
		assertThat(chromium.driver().getPageSource()).contains("corp:alice");
		chromium.driver().get(control("/console/openid-logins/corp"));
		assertThat(chromium.driver().findElement(By.id("save")).isDisplayed()).isTrue();
	}

	@Test
	void aPersonWhoseGroupsMapToNoRoleIsRefusedWithAPageSayingWhyAndAnAuditEntry() throws Exception {
		chromium.driver().get(control("/console/login"));
		chromium.click(By.id("sign-in-with-corp"));
		signInAtProvider("bob");
		chromium.until(ExpectedConditions.urlToBe(control("/console/login/refused")));
		assertThat(chromium.driver().findElement(By.id("refused-reason")).getText())
			.isEqualTo("bob signed in at corp, but no value of the claim 'groups' gives a console role");
		chromium.driver().get(control("/console/"));
		chromium.until(ExpectedConditions.urlContains("/console/login"));
		HttpResponse<String> audit = get("/api/audit?actor=openid-login", ADMIN);
		assertThat(audit.body()).contains("refused").contains("bob signed in at corp");
	}

	@Test
	void thePasswordFormSendsANameOfARequiredDomainToTheLogin() {
		account("carol@example.test", dev.capuchin.app.users.ConsoleUser.Role.ADMIN, "carol-password-1");
		chromium.driver().get(control("/console/login"));
		chromium.signIn("carol@example.test", "carol-password-1");
		chromium.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-use-openid")));
		assertThat(chromium.driver().findElement(By.id("login-use-openid")).getText())
			.isEqualTo("Accounts of this domain sign in through corp, not with a password.");
		assertThat(chromium.driver().getCurrentUrl()).startsWith(control("/console/login"));
	}

	/**
	 * The provider's own sign-in page: a user name, any password.
	 */
	private void signInAtProvider(String user) {
		chromium.until(ExpectedConditions.urlContains(this.provider.issuer() + "/interaction/"));
		chromium.type(By.name("login"), user);
		chromium.type(By.name("password"), "any-password");
		chromium.click(By.tagName("button"));
	}

}
