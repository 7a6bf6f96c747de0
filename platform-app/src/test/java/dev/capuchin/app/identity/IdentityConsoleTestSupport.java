package dev.capuchin.app.identity;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.capuchin.app.shared.api.ApiTestSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the console tests of OAuth clients, signing keys and realm grants share: a console
 * session with CSRF tokens read from the pages as a browser reads them, realms and users
 * made through the API, and the token endpoints called as a client calls them.
 */
abstract class IdentityConsoleTestSupport extends ApiTestSupport {

	static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	static final Pattern SECRET = Pattern.compile("id=\"client-secret\" readonly value=\"([^\"]+)\"");

	/** A console session of the built-in admin. */
	HttpClient admin() throws Exception {
		return console("admin", PASSWORD);
	}

	/** A console session. */
	HttpClient console(String username, String password) throws Exception {
		HttpClient client = browser();
		HttpResponse<String> signedIn = post(client, "/console/login", "username=" + encode(username) + "&password="
				+ encode(password) + "&_csrf=" + csrf(page(client, "/console/login").body()));
		assertThat(signedIn.statusCode()).isEqualTo(302);
		assertThat(signedIn.headers().firstValue("location").orElseThrow()).doesNotContain("error");
		return client;
	}

	HttpResponse<String> page(HttpClient client, String path) throws Exception {
		return client.send(HttpRequest.newBuilder(URI.create(control(path))).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	HttpResponse<String> post(HttpClient client, String path, String form) throws Exception {
		return client.send(HttpRequest.newBuilder(URI.create(control(path)))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * Post a form of a page with the CSRF token that page carries.
	 */
	HttpResponse<String> submit(HttpClient client, String pagePath, String action, String form) throws Exception {
		String token = csrf(page(client, pagePath).body());
		return post(client, action, form + (form.isEmpty() ? "" : "&") + "_csrf=" + token);
	}

	static String csrf(String html) {
		Matcher matcher = CSRF.matcher(html);
		assertThat(matcher.find()).as("a CSRF token in the page").isTrue();
		return matcher.group(1);
	}

	static String secretOf(String html) {
		Matcher matcher = SECRET.matcher(html);
		assertThat(matcher.find()).as("a secret in the page").isTrue();
		return matcher.group(1);
	}

	static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	/** A realm with one user, made through the API once. */
	void realmWithUser(String realm, String user, String password) throws Exception {
		if (get("/api/realms/" + realm, ADMIN).statusCode() == 404) {
			assertThat(send("POST", "/api/realms", ADMIN, toJson(Map.of("name", realm))).statusCode()).isEqualTo(201);
		}
		if (!get("/api/realms/" + realm + "/users", ADMIN).body().contains("\"" + user + "\"")) {
			assertThat(send("POST", "/api/realms/" + realm + "/users", ADMIN,
					toJson(Map.of("name", user, "password", password)))
				.statusCode()).isEqualTo(201);
		}
	}

	/** A client made through the API. */
	Map<String, Object> apiClient(Map<String, Object> body) throws Exception {
		HttpResponse<String> created = send("POST", "/api/oauth-clients", ADMIN, toJson(body));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		return object(created);
	}

	/** A request to a token endpoint with client_secret_basic. */
	HttpResponse<String> tokenEndpoint(String path, String clientId, String secret, String form) throws Exception {
		String basic = Base64.getEncoder()
			.encodeToString((encode(clientId) + ":" + encode(secret)).getBytes(StandardCharsets.UTF_8));
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(control(path)))
				.header("Authorization", "Basic " + basic)
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(form))
				.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** Whether introspection says a token is active. */
	boolean active(String clientId, String secret, String token) throws Exception {
		HttpResponse<String> introspected = tokenEndpoint("/oauth2/introspect", clientId, secret,
				"token=" + encode(token));
		assertThat(introspected.statusCode()).as(introspected.body()).isEqualTo(200);
		return Boolean.TRUE.equals(object(introspected).get("active"));
	}

	/**
	 * The tokens a realm user's sign-in and consent give a confidential client, through
	 * the real sign-in and consent forms.
	 */
	Map<String, Object> userTokens(String clientId, String secret, String redirectUri, String username, String password,
			String scope) throws Exception {
		HttpClient browser = browser();
		Pkce pkce = Pkce.create();
		HttpResponse<String> toSignIn = browser
			.send(HttpRequest.newBuilder(URI.create(control(pkce.authorize(clientId, redirectUri, scope))))
				.header("Accept", "text/html")
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(toSignIn.statusCode()).as(toSignIn.body()).isEqualTo(302);
		String signInPage = page(browser, "/identity/sign-in").body();
		HttpResponse<String> signedIn = browser.send(HttpRequest.newBuilder(URI.create(control("/identity/sign-in")))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Origin", control(""))
			.POST(HttpRequest.BodyPublishers.ofString(
					"username=" + encode(username) + "&password=" + encode(password) + "&_csrf=" + csrf(signInPage)))
			.build(), HttpResponse.BodyHandlers.ofString());
		String authorize = signedIn.headers().firstValue("location").orElseThrow();
		HttpResponse<String> toConsent = browser.send(HttpRequest.newBuilder(URI.create(authorize)).build(),
				HttpResponse.BodyHandlers.ofString());
		String consentUrl = toConsent.headers().firstValue("location").orElseThrow();
		assertThat(consentUrl).contains("/identity/consent");
		String consent = browser
			.send(HttpRequest.newBuilder(URI.create(consentUrl)).build(), HttpResponse.BodyHandlers.ofString())
			.body();
		Matcher state = Pattern.compile("name=\"state\" value=\"([^\"]+)\"").matcher(consent);
		assertThat(state.find()).as(consent).isTrue();
		StringBuilder form = new StringBuilder(
				"client_id=" + encode(clientId) + "&state=" + encode(state.group(1)) + "&_csrf=" + csrf(consent));
		for (String name : scope.split(" ")) {
			if (!name.equals("openid")) {
				form.append("&scope=").append(encode(name));
			}
		}
		HttpResponse<String> allowed = browser.send(HttpRequest.newBuilder(URI.create(control("/oauth2/authorize")))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Origin", control(""))
			.POST(HttpRequest.BodyPublishers.ofString(form.toString()))
			.build(), HttpResponse.BodyHandlers.ofString());
		String callback = allowed.headers().firstValue("location").orElseThrow();
		assertThat(callback).startsWith(redirectUri + "?code=");
		return exchange(clientId, secret, redirectUri, callback, pkce);
	}

	/** The tokens a code in a callback URL gives. */
	Map<String, Object> exchange(String clientId, String secret, String redirectUri, String callback, Pkce pkce)
			throws Exception {
		Matcher code = Pattern.compile("[?&]code=([^&]+)").matcher(callback);
		assertThat(code.find()).as(callback).isTrue();
		HttpResponse<String> tokens = tokenEndpoint("/oauth2/token", clientId, secret,
				"grant_type=authorization_code&code=" + code.group(1) + "&redirect_uri=" + encode(redirectUri)
						+ "&code_verifier=" + pkce.verifier());
		assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
		return object(tokens);
	}

	/** A refresh with a refresh token. */
	HttpResponse<String> refresh(String clientId, String secret, String refreshToken) throws Exception {
		return tokenEndpoint("/oauth2/token", clientId, secret,
				"grant_type=refresh_token&refresh_token=" + encode(refreshToken));
	}

	/**
	 * A PKCE verifier and its S256 challenge.
	 *
	 * @param verifier the verifier
	 * @param challenge the challenge
	 */
	record Pkce(String verifier, String challenge) {

		static Pkce create() throws Exception {
			byte[] bytes = new byte[32];
			new SecureRandom().nextBytes(bytes);
			String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
			byte[] hash = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
			return new Pkce(verifier, Base64.getUrlEncoder().withoutPadding().encodeToString(hash));
		}

		String authorize(String clientId, String redirectUri, String scope) {
			return "/oauth2/authorize?response_type=code&client_id=" + encode(clientId) + "&scope=" + encode(scope)
					+ "&state=st-" + this.challenge.substring(0, 8) + "&code_challenge=" + this.challenge
					+ "&code_challenge_method=S256&redirect_uri=" + encode(redirectUri);
		}

	}

}
