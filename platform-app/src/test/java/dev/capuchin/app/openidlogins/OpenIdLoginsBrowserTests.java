package dev.capuchin.app.openidlogins;

import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;
import dev.capuchin.app.shared.console.Browser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenID logins pages in a real headless Chromium: a login is made in the form after
 * its discovery document is shown, an issuer whose document lies is refused beside the
 * field, the secret is never shown again, "Try it" signs a realm user in at Capuchin's
 * own authorization server and shows the claims, and the delete page names the location
 * that uses the login, which refuses the deletion.
 */
class OpenIdLoginsBrowserTests extends OpenIdLoginTestSupport {

	@RegisterExtension
	static final Browser chromium = new Browser();

	private static final String SECRET = "browser-secret-never-shown";

	@Test
	void aLoginIsMadeInTheFormTriedAndItsDeletionRefusedWhileALocationUsesIt() throws Exception {
		String issuer = control("");
		String callback = issuer + "/console/openid-logins/browsing/try/callback";
		assertThat(send("POST", "/api/realms", ADMIN, toJson(Map.of("name", "Corp"))).statusCode()).isEqualTo(201);
		assertThat(send("POST", "/api/realms/Corp/users", ADMIN,
				toJson(Map.of("name", "carol", "password", "carol-password-1", "email", "carol@example.com")))
			.statusCode()).isEqualTo(201);
		HttpResponse<String> client = send("POST", "/api/oauth-clients", ADMIN,
				toJson(Map.of("client-id", "console-corp", "type", "confidential", "realm", "Corp", "grant-types",
						List.of("authorization_code"), "scopes", List.of("openid", "profile", "email"), "redirect-uris",
						List.of(callback), "consent", false)));
		assertThat(client.statusCode()).as(client.body()).isEqualTo(201);
		String clientSecret = (String) object(client).get("client-secret");
		HttpServer liar = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		liar.createContext("/.well-known/openid-configuration", (exchange) -> {
			byte[] body = "{\"issuer\":\"https://other.example\"}".getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		liar.start();
		try {
			open("/console/openid-logins");
			assertThat(chromium.driver().findElement(By.cssSelector("#console-nav a.active")).getText())
				.isEqualTo("OpenID logins");
			chromium.click(By.id("new-login"));
			chromium.type(By.id("name"), "browsing");
			chromium.type(By.id("issuer"), "http://127.0.0.1:" + liar.getAddress().getPort());
			chromium.type(By.id("clientId"), "console-corp");
			chromium.type(By.id("clientSecret"), clientSecret);
			chromium.type(By.id("scopes"), "openid profile email");
			chromium.type(By.id("allowedDomains"), "example.com");
			chromium.driver().findElement(By.id("userClaim")).clear();
			chromium.type(By.id("userClaim"), "preferred_username");
			chromium.click(By.id("save"));
			chromium.until(ExpectedConditions.visibilityOfElementLocated(By.id("issuer-error")));
			assertThat(chromium.driver().findElement(By.id("issuer-error")).getText())
				.contains("names 'https://other.example'");

			chromium.driver().findElement(By.id("issuer")).clear();
			chromium.type(By.id("issuer"), issuer);
			chromium.click(By.id("discover"));
			chromium.until(ExpectedConditions.visibilityOfElementLocated(By.id("metadata")));
			assertThat(chromium.driver().findElement(By.id("metadata-token")).getText())
				.isEqualTo(issuer + "/oauth2/token");
			assertThat(chromium.driver().findElement(By.id("metadata-algorithms")).getText()).contains("RS256");
			chromium.type(By.id("clientSecret"), clientSecret);
			chromium.click(By.id("save"));
			assertThat(chromium.flash()).contains("OpenID login browsing created");
			chromium.until(ExpectedConditions.visibilityOfElementLocated(By.id("secret-set")));
			assertThat(chromium.driver().getPageSource()).doesNotContain(clientSecret);
			assertThat(chromium.driver().findElement(By.id("try-callback")).getText()).isEqualTo(callback);

			chromium.click(By.id("try"));
			chromium.until(ExpectedConditions.urlContains("/identity/sign-in"));
			chromium.signIn("carol", "carol-password-1");
			chromium.until(ExpectedConditions.visibilityOfElementLocated(By.id("mapped")));
			assertThat(chromium.driver().findElement(By.id("mapped-user")).getText()).isEqualTo("carol");
			assertThat(chromium.driver().findElement(By.id("mapped-email")).getText()).isEqualTo("carol@example.com");
			assertThat(chromium.driver().findElement(By.id("mapped-email-domain-allowed")).getText())
				.isEqualTo("yes (example.com)");

			team("browsing");
			chromium.driver().get(control("/console/openid-logins/browsing/delete"));
			chromium.until(ExpectedConditions.visibilityOfElementLocated(By.id("used-by")));
			assertThat(chromium.driver().findElement(By.cssSelector(".used-by")).getText())
				.isEqualTo("site team locations[0] (path /team/)");
			chromium.click(By.id("confirm-delete"));
			assertThat(chromium.flash())
				.contains("Not deleted: openid-login browsing: in use by site team locations[0]");
		}
		finally {
			liar.stop(0);
		}
	}

	/**
	 * Open a console page, signing in as the admin when the browser is not signed in yet.
	 */
	private void open(String path) {
		chromium.driver().get(control(path));
		if (chromium.driver().getCurrentUrl().contains("/console/login")) {
			chromium.signIn("admin", PASSWORD);
			chromium.until(ExpectedConditions.urlToBe(control(path)));
		}
	}

}
