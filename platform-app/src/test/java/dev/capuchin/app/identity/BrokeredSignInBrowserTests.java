package dev.capuchin.app.identity;

import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;
import dev.capuchin.app.realms.RealmUser;
import dev.capuchin.app.shared.api.ApiTestSupport;
import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.app.shared.console.Browser;
import dev.capuchin.plugin.auth.OpenIdProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Brokering in a real headless Chromium: an application using the certified npm
 * {@code openid-client} sends the browser to Capuchin's authorization server, whose
 * sign-in page offers the realm's OpenID login; the person signs in at the provider (the
 * npm {@code oidc-provider}), becomes a realm user on the first sign-in and the same one
 * on the next, and the application receives Capuchin's ID token for that realm user.
 */
class BrokeredSignInBrowserTests extends ApiTestSupport {

	@RegisterExtension
	static final Browser chromium = new Browser();

	private static final String REALM = "Brokered";

	@Autowired
	ConfigService config;

	private OpenIdProvider provider;

	private HttpServer application;

	private String redirectUri;

	private String clientSecret;

	@BeforeEach
	void providerLoginRealmAndClient() throws Exception {
		this.config.changeOpenIdLogins((logins) -> List.of(), "test");
		this.config.changeRealms((realms) -> realms.stream().filter((realm) -> !realm.name().equals(REALM)).toList(),
				"test");
		this.application = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.application.createContext("/callback", (exchange) -> {
			byte[] body = "<!DOCTYPE html><title>Application</title><p id=\"app\">signed in</p>"
				.getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		this.application.start();
		this.redirectUri = "http://127.0.0.1:" + this.application.getAddress().getPort() + "/callback";
		this.provider = OpenIdProvider.start(control("/identity/sign-in/openid/corp/callback"));
		assertThat(send("POST", "/api/realms", ADMIN, toJson(Map.of("name", REALM))).statusCode()).isEqualTo(201);
		HttpResponse<String> login = send("POST", "/api/openid-logins", ADMIN,
				toJson(Map.of("name", "corp", "issuer", this.provider.issuer(), "client-id", OpenIdProvider.CLIENT_ID,
						"client-secret", OpenIdProvider.CLIENT_SECRET, "scopes", List.of("openid", "email", "profile"),
						"user-claim", "preferred_username", "broker", Map.of("realm", REALM, "link-claim", "sub"))));
		assertThat(login.statusCode()).as(login.body()).isEqualTo(201);
		HttpResponse<String> client = send("POST", "/api/oauth-clients", ADMIN,
				toJson(Map.of("client-id", "broker-app", "name", "Brokered app", "type", "confidential", "realm", REALM,
						"grant-types", List.of("authorization_code"), "scopes", List.of("openid", "profile", "email"),
						"redirect-uris", List.of(this.redirectUri), "consent", false)));
		assertThat(client.statusCode()).as(client.body()).isEqualTo(201);
		this.clientSecret = (String) object(client).get("client-secret");
		chromium.driver().manage().deleteAllCookies();
	}

	@AfterEach
	void stop() throws Exception {
		send("DELETE", "/api/oauth-clients/broker-app", ADMIN, null);
		this.config.changeOpenIdLogins((logins) -> List.of(), "test");
		if (this.provider != null) {
			this.provider.close();
		}
		if (this.application != null) {
			this.application.stop(0);
		}
	}

	@Test
	@SuppressWarnings("unchecked")
	void anApplicationSignsAPersonInThroughTheLoginAndTheRealmUserIsCreatedOnce() throws Exception {
		Map<String, Object> first = signInThroughCorp("alice");
		assertThat((Map<String, Object>) first.get("idToken")).containsEntry("preferredUsername", "alice")
			.containsEntry("iss", control(""))
			.containsEntry("email", "alice@example.test")
			.containsEntry("name", "Alice Liddell")
			.containsEntry("sub", IdentityClaims.subject(REALM, "alice"));
		List<RealmUser> users = this.config.current().realm(REALM).orElseThrow().users();
		assertThat(users).extracting(RealmUser::name).containsExactly("alice");
		assertThat(users.get(0).email()).isEqualTo("alice@example.test");

		// a new browser session: the provider and the authorization server sign in again
		chromium.driver().manage().deleteAllCookies();
		Map<String, Object> second = signInThroughCorp("alice");
		assertThat((Map<String, Object>) second.get("idToken")).containsEntry("sub",
				IdentityClaims.subject(REALM, "alice"));
		assertThat(this.config.current().realm(REALM).orElseThrow().users()).extracting(RealmUser::name)
			.containsExactly("alice");
	}

	/**
	 * The code flow with the browser in Chromium: the application's authorization URL,
	 * "Sign in with corp" on the sign-in page, the provider's form, back to the
	 * application, whose code the library exchanges.
	 */
	private Map<String, Object> signInThroughCorp(String user) throws Exception {
		Map<String, String> environment = new HashMap<>(Map.of("ISSUER", control(""), "CLIENT_ID", "broker-app",
				"CLIENT_SECRET", this.clientSecret, "REDIRECT_URI", this.redirectUri));
		Map<String, Object> request = OpenIdClient.run("authorization-url", environment);
		chromium.driver().get((String) request.get("url"));
		chromium.until(ExpectedConditions.urlContains("/identity/sign-in"));
		assertThat(chromium.driver().findElement(By.id("sign-in-with-corp")).getText()).isEqualTo("Sign in with corp");
		chromium.click(By.id("sign-in-with-corp"));
		chromium.until(ExpectedConditions.urlContains(this.provider.issuer() + "/interaction/"));
		chromium.type(By.name("login"), user);
		chromium.type(By.name("password"), "any-password");
		chromium.click(By.tagName("button"));
		chromium.until(ExpectedConditions.urlContains(this.redirectUri));
		environment.put("CALLBACK_URL", chromium.driver().getCurrentUrl());
		environment.put("VERIFIER", (String) request.get("verifier"));
		environment.put("STATE", (String) request.get("state"));
		environment.put("NONCE", (String) request.get("nonce"));
		return OpenIdClient.run("code-callback", environment);
	}

}
