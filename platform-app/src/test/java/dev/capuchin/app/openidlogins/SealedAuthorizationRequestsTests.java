package dev.capuchin.app.openidlogins;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.http.Cookie;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sealed cookie an OpenID sign-in of the control plane waits in: what it is, and that
 * a changed, foreign, expired or other state's cookie is no sign-in.
 */
class SealedAuthorizationRequestsTests {

	private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");

	private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes();

	private static SealedAuthorizationRequests states(Instant now, byte[] key) {
		return new SealedAuthorizationRequests("CAPUCHIN_OPENID_CONSOLE", "/console/login/openid/", () -> key,
				Clock.fixed(now, ZoneOffset.UTC));
	}

	private static OAuth2AuthorizationRequest request() {
		return OAuth2AuthorizationRequest.authorizationCode()
			.authorizationUri("https://id.example.test/auth")
			.clientId("capuchin")
			.redirectUri("https://console.example.test/console/login/openid/corp/callback")
			.scopes(Set.of("openid", "email"))
			.state("the-state")
			.additionalParameters(Map.of("nonce", "hashed-nonce", "code_challenge", "challenge",
					"code_challenge_method", "S256", "prompt", "login"))
			.attributes(Map.of("registration_id", "corp", "nonce", "the-nonce", "code_verifier", "the-verifier"))
			.build();
	}

	private static String saved(SealedAuthorizationRequests states, boolean secure) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/console/login/openid/corp");
		request.setSecure(secure);
		MockHttpServletResponse response = new MockHttpServletResponse();
		states.saveAuthorizationRequest(request(), request, response);
		return response.getHeader("Set-Cookie");
	}

	private static MockHttpServletRequest callback(String cookie, String state) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/console/login/openid/corp/callback");
		request.setParameter("state", state);
		if (cookie != null) {
			request.setCookies(new Cookie("CAPUCHIN_OPENID_CONSOLE", cookie));
		}
		return request;
	}

	private static String value(String setCookie) {
		return setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
	}

	@Test
	void theCookieIsLaxHttpOnlyForTheSignInsPathsAndShortLived() {
		assertThat(saved(states(START, KEY), false)).startsWith("CAPUCHIN_OPENID_CONSOLE=")
			.contains("; Path=/console/login/openid/", "; Max-Age=600", "; HttpOnly", "; SameSite=Lax")
			.doesNotContain("Secure");
		assertThat(saved(states(START, KEY), true)).contains("; Secure");
	}

	@Test
	void theCallbackFindsTheSignInWithAllItsSecretsAndTheCookieIsCleared() {
		String cookie = value(saved(states(START, KEY), false));
		assertThat(cookie).doesNotContain("the-verifier").doesNotContain("the-nonce");
		MockHttpServletResponse response = new MockHttpServletResponse();
		OAuth2AuthorizationRequest found = states(START.plusSeconds(60), KEY)
			.removeAuthorizationRequest(callback(cookie, "the-state"), response);
		assertThat(found).isNotNull();
		assertThat(found.getState()).isEqualTo("the-state");
		assertThat(found.getClientId()).isEqualTo("capuchin");
		assertThat(found.getRedirectUri()).isEqualTo(request().getRedirectUri());
		assertThat(found.getScopes()).containsExactlyInAnyOrder("openid", "email");
		assertThat(found.getAttributes()).isEqualTo(request().getAttributes());
		assertThat(found.getAdditionalParameters()).isEqualTo(request().getAdditionalParameters());
		assertThat(response.getHeader("Set-Cookie")).startsWith("CAPUCHIN_OPENID_CONSOLE=;").contains("Max-Age=0");
	}

	@Test
	void aTamperedCookieIsNoSignIn() {
		String cookie = value(saved(states(START, KEY), false));
		int middle = cookie.length() / 2;
		String tampered = cookie.substring(0, middle) + ((cookie.charAt(middle) == 'A') ? 'B' : 'A')
				+ cookie.substring(middle + 1);
		assertThat(states(START, KEY).loadAuthorizationRequest(callback(tampered, "the-state"))).isNull();
		assertThat(states(START, KEY).loadAuthorizationRequest(callback("not-a-jwe", "the-state"))).isNull();
	}

	@Test
	void aCookieSealedWithAnotherKeyIsNoSignIn() {
		String cookie = value(saved(states(START, "another-key-another-key-another!".getBytes()), false));
		assertThat(states(START, KEY).loadAuthorizationRequest(callback(cookie, "the-state"))).isNull();
	}

	@Test
	void anExpiredCookieIsNoSignIn() {
		String cookie = value(saved(states(START, KEY), false));
		Instant expiry = START.plus(SealedAuthorizationRequests.MAX_AGE);
		assertThat(states(expiry.minusSeconds(1), KEY).loadAuthorizationRequest(callback(cookie, "the-state")))
			.isNotNull();
		assertThat(states(expiry, KEY).loadAuthorizationRequest(callback(cookie, "the-state"))).isNull();
	}

	@Test
	void aCallbackWithAnotherStateOrNoCookieFindsNoSignIn() {
		String cookie = value(saved(states(START, KEY), false));
		assertThat(states(START, KEY).loadAuthorizationRequest(callback(cookie, "another-state"))).isNull();
		assertThat(states(START, KEY).loadAuthorizationRequest(callback(null, "the-state"))).isNull();
	}

	@Test
	void whatWaitedAtTheStartIsCarriedToTheCallbackAsALocalPathOnly() {
		SealedAuthorizationRequests carrying = new SealedAuthorizationRequests("CAPUCHIN_OPENID_CONSOLE",
				"/identity/sign-in/openid/", () -> KEY, Clock.fixed(START, ZoneOffset.UTC),
				(request) -> "http://127.0.0.1:2020/oauth2/authorize?client_id=app&state=s%20t");
		MockHttpServletRequest start = new MockHttpServletRequest("GET", "/identity/sign-in/openid/corp");
		MockHttpServletResponse started = new MockHttpServletResponse();
		carrying.saveAuthorizationRequest(request(), start, started);
		MockHttpServletRequest back = callback(value(started.getHeader("Set-Cookie")), "the-state");
		assertThat(carrying.removeAuthorizationRequest(back, new MockHttpServletResponse())).isNotNull();
		assertThat(SealedAuthorizationRequests.continuingTo(back))
			.isEqualTo("/oauth2/authorize?client_id=app&state=s%20t");
		// only ever the path: the browser stays on this origin
		assertThat(SealedAuthorizationRequests.local("//elsewhere.example/x")).isEqualTo("/x");
		assertThat(SealedAuthorizationRequests.local("javascript:alert(1)")).isNull();
		assertThat(SealedAuthorizationRequests.continuingTo(callback(null, "the-state"))).isNull();
	}

}
