package dev.capuchin.app.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.capuchin.app.TestApplication;
import dev.capuchin.app.shared.api.ApiTestSupport;
import dev.capuchin.app.users.ConsoleUser;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one password throttle over HTTP, at each place a password is checked on the control
 * listener, and its locks seen and cleared by an admin. An application of its own, with a
 * first delay long enough that a slow machine cannot outlast it, and an address cap above
 * what these tests spend from the one loopback address.
 */
@TestPropertySource(properties = { "capuchin.console.sign-in.first-delay=1m",
		"capuchin.console.sign-in.address-max-failures=1000" })
class SignInLocksTests extends ApiTestSupport {

	private static final String RIGHT = "right-password-1";

	@Test
	void twelveWrongBasicPasswordsThenTheRightOneIs429WithRetryAfter() throws Exception {
		account("basic-guessed", ConsoleUser.Role.VIEWER, RIGHT);
		for (int i = 1; i <= 12; i++) {
			HttpResponse<String> wrong = get("/api/sites", basic("basic-guessed", "wrong-" + i));
			assertThat(wrong.statusCode()).as("attempt %d", i).isEqualTo((i < 5) ? 401 : 429);
		}
		HttpResponse<String> right = get("/api/sites", basic("basic-guessed", RIGHT));
		assertRefused(right, 429, "authorization: too many failed sign-ins");
		assertThat(right.headers().firstValue("retry-after"))
			.hasValueSatisfying((seconds) -> assertThat(Long.parseLong(seconds)).isBetween(1L, 60L));
	}

	@Test
	void anotherAccountAtTheSameAddressStillSignsIn() throws Exception {
		account("basic-locked", ConsoleUser.Role.VIEWER, RIGHT);
		account("basic-neighbour", ConsoleUser.Role.VIEWER, RIGHT);
		lock("basic-locked");
		assertThat(get("/api/sites", basic("basic-locked", RIGHT)).statusCode()).isEqualTo(429);
		assertThat(get("/api/sites", basic("basic-neighbour", RIGHT)).statusCode()).isEqualTo(200);
	}

	@Test
	void actuatorBasicIsThrottledToo() throws Exception {
		account("actuator-guessed", ConsoleUser.Role.ADMIN, RIGHT);
		for (int i = 1; i <= 5; i++) {
			get("/actuator/capuchin", basic("actuator-guessed", "wrong-" + i));
		}
		HttpResponse<String> right = get("/actuator/capuchin", basic("actuator-guessed", RIGHT));
		assertThat(right.statusCode()).isEqualTo(429);
		assertThat(right.headers().firstValue("retry-after")).isPresent();
	}

	@Test
	void theSignInPageKeepsTheNameAndSaysWhenToTryAgain() throws Exception {
		account("page-guessed", ConsoleUser.Role.VIEWER, RIGHT);
		HttpClient browser = browser();
		HttpResponse<String> last = null;
		for (int i = 1; i <= 5; i++) {
			last = signIn(browser, "page-guessed", "wrong-" + i);
		}
		String location = last.headers().firstValue("location").orElseThrow();
		assertThat(location).contains("/console/login?throttled=");
		String page = browser
			.send(HttpRequest.newBuilder(URI.create(location)).build(), HttpResponse.BodyHandlers.ofString())
			.body();
		assertThat(page).contains("value=\"page-guessed\"")
			.containsPattern("Try again at\\s*<time datetime=\"[^\"]+\">\\d\\d:\\d\\d:\\d\\d UTC</time>");
		HttpResponse<String> right = signIn(browser, "page-guessed", RIGHT);
		assertThat(right.headers().firstValue("location"))
			.hasValueSatisfying((again) -> assertThat(again).contains("/console/login?throttled="));
	}

	@Test
	void anAdminSeesAndClearsALockOverTheApi() throws Exception {
		account("api-cleared", ConsoleUser.Role.VIEWER, RIGHT);
		lock("api-cleared");
		assertThat(get("/api/sign-in-locks", ADMIN).body()).contains("\"kind\":\"account\"", "\"key\":\"api-cleared\"",
				"\"retry-after\":");
		assertThat(send("DELETE", "/api/sign-in-locks/account/api-cleared", ADMIN, null).statusCode()).isEqualTo(204);
		assertThat(get("/api/sites", basic("api-cleared", RIGHT)).statusCode()).isEqualTo(200);
		assertThat(get("/api/sign-in-locks", ADMIN).body()).doesNotContain("api-cleared");
		assertThat(get("/api/audit", ADMIN).body()).contains("sign-in lock on account api-cleared");
		assertRefused(send("DELETE", "/api/sign-in-locks/account/api-cleared", ADMIN, null), 404, "");
	}

	@Test
	void aViewerCannotSeeOrClearLocks() throws Exception {
		account("locks-viewer", ConsoleUser.Role.VIEWER, RIGHT);
		assertThat(get("/api/sign-in-locks", basic("locks-viewer", RIGHT)).statusCode()).isEqualTo(403);
		assertThat(send("DELETE", "/api/sign-in-locks/account/x", basic("locks-viewer", RIGHT), null).statusCode())
			.isEqualTo(403);
	}

	@Test
	void anAdminClearsALockInTheConsole() throws Exception {
		account("console-cleared", ConsoleUser.Role.VIEWER, RIGHT);
		lock("console-cleared");
		HttpClient browser = browser();
		assertThat(signIn(browser, "admin", PASSWORD).headers().firstValue("location"))
			.hasValueSatisfying((home) -> assertThat(home).endsWith("/console/"));
		String page = browserGet(browser, "/console/sign-in-locks").body();
		assertThat(page).contains("console-cleared");
		HttpResponse<String> cleared = browserPost(browser, "/console/sign-in-locks/clear",
				"kind=account&key=console-cleared&_csrf=" + csrfToken(page));
		assertThat(cleared.statusCode()).isEqualTo(302);
		assertThat(browserGet(browser, "/console/sign-in-locks").body()).contains("cleared")
			.doesNotContain("lock-account-console-cleared");
		assertThat(get("/api/sites", basic("console-cleared", RIGHT)).statusCode()).isEqualTo(200);
	}

	private void lock(String username) throws Exception {
		for (int i = 1; i <= 5; i++) {
			get("/api/sites", basic(username, "wrong-" + i));
		}
	}

	private static String basic(String username, String password) {
		return TestApplication.basic(username + ":" + password);
	}

	private HttpResponse<String> signIn(HttpClient browser, String username, String password) throws Exception {
		String token = csrfToken(browserGet(browser, "/console/login").body());
		return browserPost(browser, "/console/login",
				"username=" + username + "&password=" + password + "&_csrf=" + token);
	}

	private HttpResponse<String> browserGet(HttpClient browser, String path) throws Exception {
		return browser.send(HttpRequest.newBuilder(URI.create(control(path))).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> browserPost(HttpClient browser, String path, String form) throws Exception {
		return browser.send(HttpRequest.newBuilder(URI.create(control(path)))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String csrfToken(String html) {
		Matcher matcher = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(html);
		assertThat(matcher.find()).as("a CSRF token in the page").isTrue();
		return matcher.group(1);
	}

}
