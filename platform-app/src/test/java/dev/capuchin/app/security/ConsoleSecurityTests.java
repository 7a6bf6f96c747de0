package dev.capuchin.app.security;

import dev.capuchin.app.shared.console.ConsoleTestSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import dev.capuchin.app.users.ConsoleUser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.authenticated;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.unauthenticated;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.forwardedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrlPattern;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

class ConsoleSecurityTests extends ConsoleTestSupport {

	private static final String VIEWER = "security-viewer";

	private static final String VIEWER_PASSWORD = "viewer-password-1";

	@BeforeEach
	void accounts() {
		account(VIEWER, ConsoleUser.Role.VIEWER, VIEWER_PASSWORD);
	}

	@Test
	void theRootRedirectsToTheConsole() throws Exception {
		this.mvc.perform(get("/")).andExpect(status().isFound()).andExpect(redirectedUrl("/console/"));
	}

	@Test
	void consolePagesSendStrangersToTheSignInPage() throws Exception {
		this.mvc.perform(get("/console/sites"))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/console/login"));
	}

	@Test
	void aLiveFragmentWithoutSessionAsksHtmxToLoadTheSignInPage() throws Exception {
		this.mvc.perform(get("/console/live/workers").header("HX-Request", "true"))
			.andExpect(status().isUnauthorized())
			.andExpect(header().string("HX-Redirect", "/console/login"));
	}

	@Test
	void theSignInPageCarriesTheSecurityHeaders() throws Exception {
		this.mvc.perform(get("/console/login"))
			.andExpect(status().isOk())
			.andExpect(header().string("Content-Security-Policy",
					"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
							+ "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"))
			.andExpect(header().string("X-Frame-Options", "DENY"))
			.andExpect(header().string("X-Content-Type-Options", "nosniff"))
			.andExpect(header().string("Referrer-Policy", "same-origin"));
	}

	@Test
	void signedInPagesCarryTheSecurityHeadersToo() throws Exception {
		this.mvc.perform(get("/console/sites").with(user("admin").roles("ADMIN")))
			.andExpect(status().isOk())
			.andExpect(header().exists("Content-Security-Policy"))
			.andExpect(header().string("X-Frame-Options", "DENY"));
	}

	@Test
	void aConsoleFormPostedWithoutItsCsrfTokenIsRefused() throws Exception {
		this.mvc
			.perform(
					post("/console/sites/default/enabled").param("enabled", "false").with(user("admin").roles("ADMIN")))
			.andExpect(status().isForbidden())
			.andExpect(forwardedUrl("/console/denied"));
		this.mvc.perform(post("/console/users").param("username", "x").with(user("admin").roles("ADMIN")))
			.andExpect(status().isForbidden());
	}

	@Test
	void aRefusedFormSaysWhyOnAConsolePage() throws Exception {
		HttpClient client = browser();
		assertThat(signIn(client, "admin", PASSWORD).statusCode()).isEqualTo(302);
		HttpResponse<String> refused = httpPost(client, "/console/sites/default/enabled", "enabled=false");
		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(refused.body()).contains("This form expired or did not come from this console");
		HttpClient viewer = browser();
		assertThat(signIn(viewer, VIEWER, VIEWER_PASSWORD).statusCode()).isEqualTo(302);
		String token = csrfToken(httpGet(viewer, "/console/sites").body());
		HttpResponse<String> forbidden = httpPost(viewer, "/console/sites/default/enabled",
				"enabled=false&_csrf=" + token);
		assertThat(forbidden.statusCode()).isEqualTo(403);
		assertThat(forbidden.body()).contains("Your account can look at everything but change nothing");
	}

	@Test
	void theSignInFormNeedsItsCsrfTokenToo() throws Exception {
		this.mvc.perform(post("/console/login").param("username", "admin").param("password", PASSWORD))
			.andExpect(status().isForbidden())
			.andExpect(unauthenticated());
	}

	@Test
	void signOutIsAPostWithItsCsrfToken() throws Exception {
		this.mvc.perform(get("/console/logout").with(user("admin").roles("ADMIN"))).andExpect(status().isNotFound());
		this.mvc.perform(post("/console/logout").with(user("admin").roles("ADMIN")).with(csrf()))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/console/login?signed-out"));
	}

	@Test
	void theSessionCookieHasItsOwnNameAndIsHttpOnlyAndSameSiteStrict() throws Exception {
		HttpResponse<String> response = httpGet(browser(), "/console/login");
		List<String> cookies = response.headers().allValues("set-cookie");
		assertThat(cookies).anySatisfy((cookie) -> {
			assertThat(cookie).startsWith("CAPUCHIN_CONSOLE=");
			assertThat(cookie).contains("HttpOnly", "SameSite=Strict");
			// plain HTTP here; over TLS the container adds Secure
			assertThat(cookie).doesNotContain("Secure");
		});
	}

	@Test
	void signingInWithTheRightPasswordLandsOnTheDashboard() throws Exception {
		HttpClient client = browser();
		HttpResponse<String> signedIn = signIn(client, "admin", PASSWORD);
		assertThat(signedIn.statusCode()).isEqualTo(302);
		assertThat(signedIn.headers().firstValue("location"))
			.hasValueSatisfying((location) -> assertThat(location).endsWith("/console/"));
		HttpResponse<String> dashboard = httpGet(client, "/console/");
		assertThat(dashboard.statusCode()).isEqualTo(200);
		assertThat(dashboard.body()).contains("Dashboard", "Workers");
	}

	@Test
	void aWrongPasswordGoesBackToTheSignInPageWithAnError() throws Exception {
		this.mvc
			.perform(post("/console/login").param("username", "nobody-here")
				.param("password", "wrong")
				.with(csrf())
				.with(from("198.51.100.1")))
			.andExpect(redirectedUrl("/console/login?error"))
			.andExpect(unauthenticated());
		this.mvc.perform(get("/console/login").param("error", ""))
			.andExpect(content().string(containsString("Wrong user name or password")));
	}

	@Test
	void theFifthFailureForOneNameGoesToTheSignInPageWithTheTimeToTryAgain() throws Exception {
		String name = "throttled-by-name";
		account(name, ConsoleUser.Role.VIEWER, "right-password-1");
		for (int i = 1; i <= 4; i++) {
			this.mvc
				.perform(post("/console/login").param("username", name)
					.param("password", "wrong-" + i)
					.with(csrf())
					.with(from("198.51.100." + (10 + i))))
				.andExpect(redirectedUrl("/console/login?error"));
		}
		String location = this.mvc
			.perform(post("/console/login").param("username", name)
				.param("password", "wrong-5")
				.with(csrf())
				.with(from("198.51.100.15")))
			.andExpect(status().isFound())
			.andReturn()
			.getResponse()
			.getRedirectedUrl();
		assertThat(location).matches("/console/login\\?throttled=\\d+");
		this.mvc.perform(get(location))
			.andExpect(content().string(containsString("Too many failed sign-ins")))
			.andExpect(content().string(org.hamcrest.Matchers
				.matchesPattern("(?s).*Try again at\\s*<time datetime=\"[^\"]+\">\\d\\d:\\d\\d:\\d\\d UTC</time>.*")));
	}

	@Test
	void thirtyFailuresFromOneAddressRefuseEveryNameFromThatAddress() throws Exception {
		String address = "203.0.113.50";
		account("throttled-other", ConsoleUser.Role.VIEWER, "other-password-1");
		for (int i = 1; i <= 30; i++) {
			this.mvc
				.perform(post("/console/login").param("username", "guess-" + i)
					.param("password", "wrong")
					.with(csrf())
					.with(from(address)))
				.andExpect(status().isFound());
		}
		this.mvc
			.perform(post("/console/login").param("username", "throttled-other")
				.param("password", "other-password-1")
				.with(csrf())
				.with(from(address)))
			.andExpect(redirectedUrlPattern("/console/login?throttled=*"))
			.andExpect(unauthenticated());
		this.mvc
			.perform(post("/console/login").param("username", "throttled-other")
				.param("password", "other-password-1")
				.with(csrf())
				.with(from("203.0.113.51")))
			.andExpect(redirectedUrl("/console/"))
			.andExpect(authenticated().withUsername("throttled-other"));
	}

	@Test
	void aViewerSeesPagesWithoutTheButtonsThatChangeThings() throws Exception {
		this.mvc.perform(get("/console/sites").with(user(VIEWER).roles("VIEWER")))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("id=\"sites\"")))
			.andExpect(content().string(not(containsString("id=\"new-site\""))))
			.andExpect(content().string(not(containsString("Disable"))));
		this.mvc.perform(get("/console/sites/default").with(user(VIEWER).roles("VIEWER")))
			.andExpect(status().isOk())
			.andExpect(content().string(not(containsString("id=\"save-site\""))));
	}

	@Test
	void aViewerCannotChangeAnything() throws Exception {
		RequestPostProcessor viewer = user(VIEWER).roles("VIEWER");
		this.mvc.perform(post("/console/sites/default/enabled").param("enabled", "false").with(viewer).with(csrf()))
			.andExpect(status().isForbidden());
		this.mvc
			.perform(post("/console/sites").param("name", "viewer-site")
				.param("documentRoot", TEMP.toString())
				.with(viewer)
				.with(csrf()))
			.andExpect(status().isForbidden());
		this.mvc.perform(post("/console/sites/default/delete").param("version", "1").with(viewer).with(csrf()))
			.andExpect(status().isForbidden());
		this.mvc
			.perform(post("/console/sites/default/locations").param("kind", "path")
				.param("value", "/x/")
				.with(viewer)
				.with(csrf()))
			.andExpect(status().isForbidden());
		this.mvc.perform(post("/console/import").param("document", "sites: []").with(viewer).with(csrf()))
			.andExpect(status().isForbidden());
		this.mvc.perform(get("/console/users").with(viewer)).andExpect(status().isForbidden());
		this.mvc.perform(post("/console/users").param("username", "x").with(viewer).with(csrf()))
			.andExpect(status().isForbidden());
		this.mvc.perform(get("/console/export").with(viewer)).andExpect(status().isOk());
	}

	@Test
	void anUnknownConsoleAddressIsA404PageNotABasicChallenge() throws Exception {
		HttpClient client = browser();
		assertThat(signIn(client, "admin", PASSWORD).statusCode()).isEqualTo(302);
		HttpResponse<String> missing = client.send(HttpRequest.newBuilder(URI.create(control("/console/no-such-page")))
			.header("Accept", "text/html")
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(missing.statusCode()).isEqualTo(404);
		assertThat(missing.headers().firstValue("www-authenticate")).isEmpty();
		assertThat(missing.body()).contains("Nothing is served at this address");
	}

	@Test
	void theApiDoesNotAcceptAConsoleSession() throws Exception {
		HttpClient client = browser();
		assertThat(signIn(client, "admin", PASSWORD).statusCode()).isEqualTo(302);
		assertThat(httpGet(client, "/console/sites").statusCode()).isEqualTo(200);
		assertThat(httpGet(client, "/api/config").statusCode()).isEqualTo(401);
		assertThat(httpGet(client, "/actuator/capuchin").statusCode()).isEqualTo(401);
	}

	private static RequestPostProcessor from(String address) {
		return (MockHttpServletRequest request) -> {
			request.setRemoteAddr(address);
			return request;
		};
	}

}
