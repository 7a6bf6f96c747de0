package dev.capuchin.app.identity;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;
import dev.capuchin.app.shared.console.Browser;
import dev.capuchin.app.shared.console.HeadlessChromium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OAuth clients pages in a real headless Chromium: a client made in the form shows
 * its secret once (gone on the next visit), a rotation shows a new one while the previous
 * still works for the grace period, and a grant that a realm user gave through the real
 * sign-in and consent pages is listed on the client's page and revoked there. With the
 * system property {@code capuchin.screenshots} set, it saves the {@code oauth-client}
 * screenshot.
 */
class OAuthClientsBrowserTests extends IdentityConsoleTestSupport {

	@RegisterExtension
	static final Browser chromium = new Browser();

	@Test
	void aClientMadeInTheFormShowsItsSecretOnceIsRotatedAndARealmUsersGrantIsRevoked() throws Exception {
		realmWithUser("Browsing", "browsing-user", "browsing-password-1");
		HttpServer callback = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		callback.createContext("/callback", (exchange) -> {
			byte[] body = "<!DOCTYPE html><title>signed in</title><p id=\"app\">signed in</p>"
				.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		callback.start();
		String redirectUri = "http://127.0.0.1:" + callback.getAddress().getPort() + "/callback";
		try {
			open("/console/oauth-clients");
			assertThat(chromium.driver().findElement(By.cssSelector("#console-nav a.active")).getText())
				.isEqualTo("OAuth clients");

			chromium.click(By.id("new-client"));
			chromium.type(By.id("clientId"), "browser-app");
			chromium.type(By.id("name"), "Browser app");
			new Select(chromium.driver().findElement(By.id("realm"))).selectByValue("Browsing");
			chromium.click(By.id("grant-client_credentials"));
			chromium.type(By.id("scopes"), "openid profile read");
			chromium.type(By.id("redirectUris"), redirectUri);
			chromium.click(By.id("save-client"));
			chromium.until(ExpectedConditions.visibilityOfElementLocated(By.id("shown-once")));
			String secret = chromium.driver().findElement(By.id("client-secret")).getDomProperty("value");
			assertThat(secret).hasSizeGreaterThanOrEqualTo(43);
			assertThat(
					tokenEndpoint("/oauth2/token", "browser-app", secret, "grant_type=client_credentials").statusCode())
				.isEqualTo(200);

			chromium.click(By.id("done"));
			chromium.until(ExpectedConditions.urlToBe(control("/console/oauth-clients/browser-app")));
			chromium.driver().navigate().refresh();
			chromium.until(ExpectedConditions.visibilityOfElementLocated(By.id("rotate-secret")));
			assertThat(chromium.driver().getPageSource()).doesNotContain(secret);
			assertThat(chromium.driver().findElements(By.id("client-secret"))).isEmpty();

			new Select(chromium.driver().findElement(By.id("grace"))).selectByValue("1h");
			chromium.click(By.id("rotate-secret"));
			chromium.until(ExpectedConditions.visibilityOfElementLocated(By.id("previous-secret")));
			String rotated = chromium.driver().findElement(By.id("client-secret")).getDomProperty("value");
			assertThat(rotated).isNotEqualTo(secret);
			assertThat(
					tokenEndpoint("/oauth2/token", "browser-app", secret, "grant_type=client_credentials").statusCode())
				.isEqualTo(200);
			assertThat(tokenEndpoint("/oauth2/token", "browser-app", rotated, "grant_type=client_credentials")
				.statusCode()).isEqualTo(200);

			Pkce pkce = Pkce.create();
			chromium.driver().get(control(pkce.authorize("browser-app", redirectUri, "openid profile read")));
			chromium.until(ExpectedConditions.urlContains("/identity/sign-in"));
			assertThat(chromium.driver().findElement(By.id("client-name")).getText()).isEqualTo("Browser app");
			chromium.signIn("browsing-user", "browsing-password-1");
			chromium.until(ExpectedConditions.urlContains("/identity/consent"));
			chromium.click(By.id("allow"));
			chromium.until(ExpectedConditions.urlContains(redirectUri + "?code="));
			Map<String, Object> tokens = exchange("browser-app", rotated, redirectUri,
					chromium.driver().getCurrentUrl(), pkce);
			assertThat(active("browser-app", rotated, (String) tokens.get("access_token"))).isTrue();

			chromium.driver().get(control("/console/realms/Browsing"));
			chromium.until(ExpectedConditions
				.visibilityOfElementLocated(By.cssSelector("#realm-grants tr[data-principal='browsing-user']")));

			chromium.driver().get(control("/console/oauth-clients/browser-app"));
			By row = By.cssSelector("#client-grants tr[data-principal='browsing-user']");
			chromium.until(ExpectedConditions.visibilityOfElementLocated(row));
			assertThat(chromium.driver().findElement(row).getText()).contains("openid", "profile", "read",
					"authorization_code");
			HeadlessChromium.screenshot(chromium.driver(), "oauth-client", 1280);
			chromium.click(By.cssSelector("#client-grants tr[data-principal='browsing-user'] .revoke-grant"));
			assertThat(chromium.flash()).contains("Grant revoked");
			assertThat(chromium.driver().findElements(row)).isEmpty();
			assertThat(refresh("browser-app", rotated, (String) tokens.get("refresh_token")).statusCode())
				.isEqualTo(400);
			assertThat(active("browser-app", rotated, (String) tokens.get("access_token"))).isFalse();
		}
		finally {
			callback.stop(0);
		}
	}

	@Test
	void theClientPagesFitAPhonesWidth() throws Exception {
		realmWithUser("Narrow", "narrow-user", "narrow-password-1");
		if (get("/api/oauth-clients/narrow-app", ADMIN).statusCode() == 404) {
			apiClient(Map.of("client-id", "narrow-app", "name", "Narrow app", "type", "confidential", "realm", "Narrow",
					"grant-types", java.util.List.of("client_credentials")));
		}
		chromium.driver().manage().window().setSize(new Dimension(390, 844));
		try {
			open("/console/oauth-clients");
			for (String path : new String[] { "/console/oauth-clients", "/console/oauth-clients/new",
					"/console/oauth-clients/narrow-app", "/console/signing-keys" }) {
				chromium.driver().get(control(path));
				chromium.until(ExpectedConditions.visibilityOfElementLocated(By.tagName("h1")));
				Object overflow = chromium.driver()
					.executeScript("return document.documentElement.scrollWidth - window.innerWidth;");
				assertThat(((Number) overflow).intValue()).as(path + " scrolls sideways").isLessThanOrEqualTo(0);
			}
		}
		finally {
			chromium.driver().manage().window().setSize(new Dimension(1280, 900));
		}
	}

	/**
	 * Open a console page, signing in as the admin when the browser is not signed in yet
	 * (the tests share one browser, in any order).
	 */
	private void open(String path) {
		chromium.driver().get(control(path));
		if (chromium.driver().getCurrentUrl().contains("/console/login")) {
			chromium.signIn("admin", PASSWORD);
			chromium.until(ExpectedConditions.urlToBe(control(path)));
		}
	}

}
