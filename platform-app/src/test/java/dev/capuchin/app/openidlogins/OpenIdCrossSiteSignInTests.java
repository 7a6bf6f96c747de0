package dev.capuchin.app.openidlogins;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.capuchin.plugin.auth.OpenIdProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's sign-in through a provider on another site, with a browser of Java's HTTP
 * client that behaves as browsers do with the console's {@code SameSite=Strict} session
 * cookie: it sends no console cookie but the {@code SameSite=Lax} sign-in state when the
 * provider sends it back to the callback. The sign-in still completes, over a page of the
 * console's own that carries the new session on; a state cookie that was changed is
 * refused.
 */
class OpenIdCrossSiteSignInTests extends OpenIdLoginTestSupport {

	private static final String STATE_COOKIE = "CAPUCHIN_OPENID_CONSOLE";

	private static final Pattern META_REFRESH = Pattern.compile("content=\"0;url=([^\"]+)\"");

	private final HttpClient http = HttpClient.newBuilder()
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	/** The console's cookies, by name. */
	private final Map<String, String> console = new LinkedHashMap<>();

	/** The provider's cookies, by name (paths ignored: all are sent back to it). */
	private final Map<String, String> provider = new LinkedHashMap<>();

	private OpenIdProvider oidc;

	@BeforeEach
	void providerAndLogin() throws Exception {
		this.oidc = OpenIdProvider.start(control("/console/login/openid/corp/callback"));
		HttpResponse<String> created = send("POST", "/api/openid-logins", ADMIN,
				toJson(Map.of("name", "corp", "issuer", this.oidc.issuer(), "client-id", OpenIdProvider.CLIENT_ID,
						"client-secret", OpenIdProvider.CLIENT_SECRET, "user-claim", "preferred_username", "console",
						Map.of("claim", "groups", "roles", Map.of("admin", List.of("staff"))))));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
	}

	@AfterEach
	void stopProvider() throws Exception {
		if (this.oidc != null) {
			this.oidc.close();
		}
	}

	@Test
	void aSignInWhoseCallbackCarriesOnlyTheLaxStateCookieCompletes() throws Exception {
		HttpResponse<String> start = request(control("/console/login/openid/corp"), null);
		assertThat(start.statusCode()).isEqualTo(302);
		assertThat(start.headers().allValues("Set-Cookie"))
			.anySatisfy((cookie) -> assertThat(cookie).startsWith(STATE_COOKIE + "=")
				.contains("Path=/console/login/openid/", "SameSite=Lax", "HttpOnly", "Max-Age=600"));
		String callback = atProvider(start, "alice");
		// the browser leaves out every Strict cookie of the console on this navigation
		HttpResponse<String> back = request(callback, STATE_COOKIE + "=" + this.console.get(STATE_COOKIE));
		assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
		assertThat(back.headers().allValues("Set-Cookie"))
			.anySatisfy((cookie) -> assertThat(cookie).startsWith(STATE_COOKIE + "=;").contains("Max-Age=0"));
		assertThat(continuation(back)).isEqualTo("/console/");
		String session = this.console.get("CAPUCHIN_CONSOLE");
		assertThat(session).as("a new console session").isNotNull();
		// the continuation page navigates on from the console's own site: Strict cookies
		// go
		HttpResponse<String> home = request(control("/console/"), "CAPUCHIN_CONSOLE=" + session);
		assertThat(home.statusCode()).isEqualTo(200);
		assertThat(home.body()).contains("corp:alice");
	}

	@Test
	void aChangedStateCookieIsRefusedWithThePageSayingWhy() throws Exception {
		HttpResponse<String> start = request(control("/console/login/openid/corp"), null);
		String callback = atProvider(start, "alice");
		String sealed = this.console.get(STATE_COOKIE);
		int middle = sealed.length() / 2;
		String changed = sealed.substring(0, middle) + ((sealed.charAt(middle) == 'A') ? 'B' : 'A')
				+ sealed.substring(middle + 1);
		HttpResponse<String> back = request(callback, STATE_COOKIE + "=" + changed);
		assertThat(back.statusCode()).isEqualTo(200);
		assertThat(continuation(back)).isEqualTo("/console/login/refused");
		HttpResponse<String> refused = request(control("/console/login/refused"),
				"CAPUCHIN_CONSOLE=" + this.console.get("CAPUCHIN_CONSOLE"));
		assertThat(refused.body()).contains("authorization_request_not_found");
		HttpResponse<String> home = request(control("/console/"),
				"CAPUCHIN_CONSOLE=" + this.console.get("CAPUCHIN_CONSOLE"));
		assertThat(home.statusCode()).isEqualTo(302);
	}

	/**
	 * Follow the browser through the provider's sign-in as a user, up to the console's
	 * callback, which is returned rather than fetched.
	 */
	private String atProvider(HttpResponse<String> start, String user) throws Exception {
		HttpResponse<String> current = start;
		boolean signedIn = false;
		for (int hops = 0; hops < 20; hops++) {
			String location = current.headers().firstValue("Location").orElse(null);
			if (location == null && !signedIn && current.uri().getPath().startsWith("/interaction/")) {
				current = post(current.uri(),
						"login=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&password=any");
				signedIn = true;
				continue;
			}
			assertThat(location).as("a redirect at " + current.uri() + ": " + current.body()).isNotNull();
			String next = current.uri().resolve(location).toString();
			if (next.startsWith(control("/console/login/openid/corp/callback"))) {
				return next;
			}
			assertThat(next).startsWith(this.oidc.issuer());
			current = request(next, cookies(this.provider));
		}
		throw new IllegalStateException("more than 20 steps at the provider");
	}

	private HttpResponse<String> request(String url, String cookies) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET();
		if (cookies != null && !cookies.isEmpty()) {
			request.header("Cookie", cookies);
		}
		return keep(this.http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
	}

	private HttpResponse<String> post(URI url, String form) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(url)
			.timeout(Duration.ofSeconds(20))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form));
		String cookies = cookies(this.provider);
		if (!cookies.isEmpty()) {
			request.header("Cookie", cookies);
		}
		return keep(this.http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
	}

	/** Keep the cookies a response sets, the console's and the provider's apart. */
	private HttpResponse<String> keep(HttpResponse<String> response) {
		Map<String, String> jar = response.uri().toString().startsWith(this.oidc.issuer()) ? this.provider
				: this.console;
		for (String setCookie : response.headers().allValues("Set-Cookie")) {
			String pair = setCookie.split(";", 2)[0];
			int equals = pair.indexOf('=');
			String name = pair.substring(0, equals).trim();
			String value = pair.substring(equals + 1).trim();
			if (value.isEmpty() || setCookie.contains("Max-Age=0")) {
				jar.remove(name);
			}
			else {
				jar.put(name, value);
			}
		}
		return response;
	}

	private static String cookies(Map<String, String> jar) {
		StringBuilder header = new StringBuilder();
		jar.forEach((name,
				value) -> header.append((header.length() > 0) ? "; " : "").append(name).append('=').append(value));
		return header.toString();
	}

	private static String continuation(HttpResponse<String> page) {
		assertThat(page.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/html"));
		Matcher matcher = META_REFRESH.matcher(page.body());
		assertThat(matcher.find()).as(page.body()).isTrue();
		return matcher.group(1).replace("&amp;", "&");
	}

}
