package dev.capuchin.app.identity;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.capuchin.app.shared.api.ApiTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The identity sign-in page over real HTTP with a cookie-keeping client: it checks the
 * users of the asking client's realm and nobody else, and throttles guessing.
 */
class IdentitySignInTests extends ApiTestSupport {

	static final String REDIRECT_URI = "http://127.0.0.1:9/callback";

	static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	@BeforeEach
	void realmsAndClient() throws Exception {
		for (String realm : List.of("Shop", "Other")) {
			if (get("/api/realms/" + realm, ADMIN).statusCode() == 404) {
				send("POST", "/api/realms", ADMIN, toJson(Map.of("name", realm)));
			}
			String user = realm.toLowerCase() + "-user";
			if (!get("/api/realms/" + realm + "/users", ADMIN).body().contains("\"" + user + "\"")) {
				send("POST", "/api/realms/" + realm + "/users", ADMIN,
						toJson(Map.of("name", user, "password", "user-password-1")));
			}
		}
		if (get("/api/oauth-clients/shop-web", ADMIN).statusCode() == 404) {
			send("POST", "/api/oauth-clients", ADMIN,
					toJson(Map.of("client-id", "shop-web", "name", "Shop front", "type", "public", "realm", "Shop",
							"grant-types", List.of("authorization_code"), "scopes", List.of("openid", "profile"),
							"redirect-uris", List.of(REDIRECT_URI))));
		}
	}

	@Test
	void anAuthorizationRequestLeadsToASignInPageNamingTheClientAndItsRealm() throws Exception {
		HttpClient browser = browser();
		HttpResponse<String> page = signInPage(browser, control(""), "shop-web");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("Shop front", "Accounts of <span>Shop</span>", "name=\"viewport\"")
			.doesNotContain("<script");
	}

	@Test
	void aUserOfTheClientsRealmSignsInAndGoesOnToConsent() throws Exception {
		HttpClient browser = browser();
		HttpResponse<String> signedIn = signIn(browser, control(""), signInPage(browser, control(""), "shop-web"),
				"shop-user", "user-password-1");
		assertThat(signedIn.statusCode()).isEqualTo(302);
		String authorize = signedIn.headers().firstValue("location").orElseThrow();
		assertThat(authorize).contains("/oauth2/authorize");
		HttpResponse<String> consent = browser.send(HttpRequest.newBuilder(URI.create(authorize)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(consent.headers().firstValue("location"))
			.hasValueSatisfying((location) -> assertThat(location).contains("/identity/consent"));
	}

	@Test
	void aUserOfAnotherRealmCannotSignIn() throws Exception {
		HttpClient browser = browser();
		HttpResponse<String> refused = signIn(browser, control(""), signInPage(browser, control(""), "shop-web"),
				"other-user", "user-password-1");
		assertThat(refused.headers().firstValue("location"))
			.hasValueSatisfying((location) -> assertThat(location).endsWith("/identity/sign-in?error"));
	}

	@Test
	void aConsoleAdminCannotSignInAsARealmUser() throws Exception {
		HttpClient browser = browser();
		HttpResponse<String> refused = signIn(browser, control(""), signInPage(browser, control(""), "shop-web"),
				"admin", PASSWORD);
		assertThat(refused.headers().firstValue("location"))
			.hasValueSatisfying((location) -> assertThat(location).endsWith("/identity/sign-in?error"));
	}

	static HttpResponse<String> signInPage(HttpClient browser, String base, String clientId) throws Exception {
		String authorize = base + ("/oauth2/authorize?response_type=code&client_id=" + clientId
				+ "&scope=openid%20profile"
				+ "&state=s1&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"
				+ "&redirect_uri=" + URLEncoder.encode(REDIRECT_URI, StandardCharsets.UTF_8));
		HttpResponse<String> redirected = browser.send(
				HttpRequest.newBuilder(URI.create(authorize)).header("Accept", "text/html").build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(redirected.statusCode()).as(redirected.body()).isEqualTo(302);
		String location = redirected.headers().firstValue("location").orElseThrow();
		assertThat(location).endsWith("/identity/sign-in");
		return browser.send(HttpRequest.newBuilder(URI.create(location)).build(), HttpResponse.BodyHandlers.ofString());
	}

	static HttpResponse<String> signIn(HttpClient browser, String base, HttpResponse<String> page, String username,
			String password) throws Exception {
		Matcher csrf = CSRF.matcher(page.body());
		assertThat(csrf.find()).as(page.body()).isTrue();
		String form = "username=" + URLEncoder.encode(username, StandardCharsets.UTF_8) + "&password="
				+ URLEncoder.encode(password, StandardCharsets.UTF_8) + "&_csrf=" + csrf.group(1);
		return browser.send(HttpRequest.newBuilder(URI.create(base + "/identity/sign-in"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Origin", base)
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
