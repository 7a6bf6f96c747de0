package dev.capuchin.app.openidlogins;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.jwk.JWK;
import dev.capuchin.app.shared.console.Browser;
import dev.capuchin.plugin.auth.OpenIdClientKeys;
import dev.capuchin.plugin.auth.OpenIdProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's single sign-on through a login whose client authenticates with
 * {@code private_key_jwt}, in a real headless Chromium against a real provider (the npm
 * {@code oidc-provider}) that knows the public half of the login's key: the sign-in
 * works, the login's page shows the public key to register, and a key the provider does
 * not know is refused with a page saying what the provider said.
 */
class OpenIdConsolePrivateKeyJwtBrowserTests extends OpenIdLoginTestSupport {

	@RegisterExtension
	static final Browser chromium = new Browser();

	private final JWK key = OpenIdClientKeys.generate();

	private OpenIdProvider provider;

	@BeforeEach
	void providerAndLogin() throws Exception {
		this.provider = OpenIdProvider.start(control("/console/login/openid/corp/callback"),
				Map.of(OpenIdProvider.CLIENT_JWKS, OpenIdClientKeys.publicJwkSet(this.key)));
		HttpResponse<String> created = send("POST", "/api/openid-logins", ADMIN,
				toJson(Map.of("name", "corp", "issuer", this.provider.issuer(), "client-id",
						OpenIdProvider.JWT_CLIENT_ID, "client-auth", "private-key-jwt", "private-key",
						this.key.toJSONString(), "user-claim", "preferred_username", "console",
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
	void aPersonSignsInThroughALoginThatProvesItselfWithItsKey() {
		chromium.driver().get(control("/console/login"));
		chromium.click(By.id("sign-in-with-corp"));
		signInAtProvider("alice");
		chromium.until(ExpectedConditions.urlToBe(control("/console/")));
		assertThat(chromium.driver().getPageSource()).contains("corp:alice");
		chromium.driver().get(control("/console/openid-logins/corp"));
		assertThat(chromium.driver().findElement(By.id("public-jwks")).getText())
			.contains("\"kid\":\"" + this.key.getKeyID() + "\"")
			.doesNotContain("\"d\"");
		assertThat(chromium.driver().findElement(By.id("key-set")).getText()).isEqualTo("set");
	}

	@Test
	void aKeyTheProviderDoesNotKnowIsRefusedWithAPageSayingWhatTheProviderSaid() throws Exception {
		HttpResponse<String> replaced = send("PUT", "/api/openid-logins/corp", ADMIN,
				toJson(Map.of("private-key", "generate")));
		assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
		chromium.driver().get(control("/console/login"));
		chromium.click(By.id("sign-in-with-corp"));
		signInAtProvider("alice");
		chromium.until(ExpectedConditions.urlToBe(control("/console/login/refused")));
		assertThat(chromium.driver().findElement(By.id("refused-reason")).getText()).contains("invalid_client");
		chromium.driver().get(control("/console/"));
		chromium.until(ExpectedConditions.urlContains("/console/login"));
	}

	private void signInAtProvider(String user) {
		chromium.until(ExpectedConditions.urlContains(this.provider.issuer() + "/interaction/"));
		chromium.type(By.name("login"), user);
		chromium.type(By.name("password"), "any-password");
		chromium.click(By.tagName("button"));
	}

}
