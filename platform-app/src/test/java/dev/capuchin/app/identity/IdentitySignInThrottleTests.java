package dev.capuchin.app.identity;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.capuchin.app.shared.api.ApiTestSupport;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guessing on the identity sign-in page is throttled by the control plane's one password
 * throttle, in an application of its own: a throttled loopback address would refuse every
 * other test's sign-in.
 */
@TestPropertySource(properties = { "capuchin.console.sign-in.max-failures=2",
		// long enough to outlast the test on a loaded machine
		"capuchin.console.sign-in.first-delay=60s" })
class IdentitySignInThrottleTests extends ApiTestSupport {

	@Test
	void repeatedFailedSignInsAreThrottledAndThePageSaysWhenToTryAgainKeepingTheName() throws Exception {
		send("POST", "/api/realms", ADMIN, toJson(Map.of("name", "Guess")));
		send("POST", "/api/oauth-clients", ADMIN,
				toJson(Map.of("client-id", "guess-web", "type", "public", "realm", "Guess", "grant-types",
						List.of("authorization_code"), "scopes", List.of("openid", "profile"), "redirect-uris",
						List.of(IdentitySignInTests.REDIRECT_URI))));
		HttpClient browser = browser();
		HttpResponse<String> page = IdentitySignInTests.signInPage(browser, control(""), "guess-web");
		HttpResponse<String> first = IdentitySignInTests.signIn(browser, control(""), page, "guessed-user", "wrong-1");
		assertThat(first.headers().firstValue("location"))
			.hasValueSatisfying((location) -> assertThat(location).endsWith("/identity/sign-in?error"));
		HttpResponse<String> second = IdentitySignInTests.signIn(browser, control(""), page, "guessed-user", "wrong-2");
		assertThat(second.headers().firstValue("location"))
			.hasValueSatisfying((location) -> assertThat(location).contains("/identity/sign-in?throttled="));
		String until = second.headers().firstValue("location").orElseThrow().replaceAll(".*throttled=", "");
		String throttledPage = browser
			.send(HttpRequest.newBuilder(URI.create(control("/identity/sign-in?throttled=" + until))).build(),
					HttpResponse.BodyHandlers.ofString())
			.body();
		String time = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT)
			.format(Instant.ofEpochSecond(Long.parseLong(until)).atOffset(ZoneOffset.UTC));
		assertThat(throttledPage).contains("id=\"login-throttled\"", "Try again at", time + " UTC")
			.contains("value=\"guessed-user\"");
		// the same throttle as the console's and the API's: its locks list the name
		assertThat(get("/api/sign-in-locks", ADMIN).body()).contains("\"key\":\"guessed-user\"");
	}

}
