package dev.capuchin.app.openidlogins;

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

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Try it" end to end with Java's HttpClient as the admin's browser, against Capuchin's
 * own authorization server in the same application: a realm user signs in at its real
 * sign-in page, and the console shows the claims its ID token carried and what the
 * login's mappings make of them.
 */
class OpenIdLoginTryTests extends OpenIdLoginTestSupport {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	@Test
	void tryItSignsInAtTheProviderAndShowsTheClaimsAndTheMappings() throws Exception {
		String issuer = control("");
		String callback = issuer + "/console/openid-logins/own/try/callback";
		Map<String, Object> client = object(created(send("POST", "/api/oauth-clients", ADMIN,
				toJson(Map.of("client-id", "console-try", "type", "confidential", "realm", realm("Tryers", "alice"),
						"grant-types", List.of("authorization_code"), "scopes", List.of("openid", "profile", "email"),
						"redirect-uris", List.of(callback), "consent", false)))));
		created(send("POST", "/api/openid-logins", ADMIN,
				toJson(Map.of("name", "own", "issuer", issuer, "client-id", "console-try", "client-secret",
						client.get("client-secret"), "scopes", List.of("openid", "profile"), "user-claim",
						"preferred_username", "allowed-domains", List.of("example.com")))));
		HttpClient browser = console();
		HttpResponse<String> toProvider = post(browser, "/console/openid-logins/own/try",
				"_csrf=" + csrf(page(browser, "/console/openid-logins/own").body()));
		assertThat(toProvider.statusCode()).as(toProvider.body()).isEqualTo(302);
		String authorize = toProvider.headers().firstValue("location").orElseThrow();
		assertThat(authorize).startsWith(issuer + "/oauth2/authorize?")
			.contains("code_challenge_method=S256", "nonce=", "state=", "redirect_uri=" + callback);
		HttpResponse<String> toSignIn = follow(browser, authorize);
		assertThat(toSignIn.headers().firstValue("location").orElseThrow()).contains("/identity/sign-in");
		HttpResponse<String> signedIn = browser.send(HttpRequest.newBuilder(URI.create(control("/identity/sign-in")))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Origin", issuer)
			.POST(HttpRequest.BodyPublishers.ofString("username=alice&password=alice-password-1&_csrf="
					+ csrf(page(browser, "/identity/sign-in").body())))
			.build(), HttpResponse.BodyHandlers.ofString());
		HttpResponse<String> toCallback = follow(browser, signedIn.headers().firstValue("location").orElseThrow());
		String back = toCallback.headers().firstValue("location").orElseThrow();
		assertThat(back).startsWith(callback + "?code=");
		HttpResponse<String> shown = follow(browser, back);
		assertThat(shown.statusCode()).as(shown.body()).isEqualTo(200);
		assertThat(shown.body()).doesNotContain("id=\"try-failure\"")
			.contains("id=\"mapped-user\">alice<", "id=\"mapped-email-domain-allowed\">no (no email)<")
			.contains(">iss<", ">aud<", ">nonce<");
		HttpResponse<String> replayed = follow(browser, back);
		assertThat(replayed.body()).contains("id=\"try-failure\"", "state: no sign-in through own");
	}

	@Test
	void aCallbackWithoutASignInUnderWayIsRefused() throws Exception {
		created(send("POST", "/api/openid-logins", ADMIN,
				toJson(Map.of("name", "idle", "issuer", control(""), "client-id", "nobody"))));
		HttpResponse<String> forged = page(console(), "/console/openid-logins/idle/try/callback?code=x&state=forged");
		assertThat(forged.statusCode()).isEqualTo(200);
		assertThat(forged.body()).contains("id=\"try-failure\"", "state: no sign-in through idle");
	}

	private String realm(String realm, String user) throws Exception {
		if (get("/api/realms/" + realm, ADMIN).statusCode() == 404) {
			created(send("POST", "/api/realms", ADMIN, toJson(Map.of("name", realm))));
			created(send("POST", "/api/realms/" + realm + "/users", ADMIN,
					toJson(Map.of("name", user, "password", user + "-password-1"))));
		}
		return realm;
	}

	private HttpClient console() throws Exception {
		HttpClient client = browser();
		HttpResponse<String> signedIn = post(client, "/console/login", "username=admin&password=" + encode(PASSWORD)
				+ "&_csrf=" + csrf(page(client, "/console/login").body()));
		assertThat(signedIn.statusCode()).isEqualTo(302);
		return client;
	}

	private HttpResponse<String> page(HttpClient client, String path) throws Exception {
		return follow(client, control(path));
	}

	private static HttpResponse<String> follow(HttpClient client, String url) throws Exception {
		return client.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/html").build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(HttpClient client, String path, String form) throws Exception {
		return client.send(HttpRequest.newBuilder(URI.create(control(path)))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Origin", control(""))
			.POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static HttpResponse<String> created(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		return response;
	}

	private static String csrf(String html) {
		Matcher matcher = CSRF.matcher(html);
		assertThat(matcher.find()).as("a CSRF token in the page").isTrue();
		return matcher.group(1);
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
