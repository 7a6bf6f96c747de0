package dev.capuchin.plugin.auth;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.testing.EveryTransport;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;
import dev.capuchin.core.testing.UserHeader;
import dev.capuchin.plugin.auth.internal.OpenIdBlock;
import dev.capuchin.plugin.auth.internal.SealedCookies;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code openid} mode's per-connection memo of the last opened session cookie, over
 * real keep-alive sockets with sealed session cookies: the session's end, idle and
 * absolute lifetimes and the provider's back-channel logouts still end it on an open
 * connection, the same {@code Cookie} header is parsed and decrypted once per connection
 * (counted by the mode), another header is parsed and verified, a re-issued cookie is
 * taken, and the memo never crosses connections or logins.
 */
@EveryTransport
class OpenIdConnectionMemoSocketTests {

	private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] OTHER_KEY = "abcdef0123456789abcdef0123456789".getBytes(StandardCharsets.US_ASCII);

	/** The idle lifetime of {@code /short/}'s login, for the tests that wait for it. */
	private static final Duration SHORT_IDLE = Duration.ofSeconds(6);

	/**
	 * How long the sessions of the tests that wait for their end last: enough for the
	 * first requests on a busy machine.
	 */
	private static final long LEFT = 6;

	@TempDir
	Path temp;

	@Parameter
	Transport transport;

	private TestIssuer issuer;

	private AuthPlugin plugin;

	private KernelFixture kernel;

	@BeforeEach
	void start() throws Exception {
		this.issuer = TestIssuer.start();
		this.plugin = new AuthPlugin(AuthSettings.defaults());
		List<Map<String, Object>> locations = List.of(location("/any/", "corp", KEY, Map.of()),
				location("/short/", "brief", KEY, Map.of("idle", SHORT_IDLE.toSeconds() + "s")),
				location("/other/", "other", OTHER_KEY, Map.of()));
		this.kernel = KernelFixture.builder(this.temp)
			.transport(this.transport)
			.plugin(this.plugin)
			.plugin(new UserHeader())
			.defaultSite(Map.of("locations", locations))
			.file("any/index.html", "any")
			.file("short/index.html", "short")
			.file("other/index.html", "other")
			.start();
	}

	@AfterEach
	void stop() {
		if (this.kernel != null) {
			this.kernel.close();
		}
		this.issuer.close();
	}

	@Test
	void theSameCookieOnOneConnectionIsRefusedOnceTheSessionEnds() throws Exception {
		Instant now = Instant.now();
		String cookie = session("corp", KEY, "alice", now.minusSeconds(60), now, now.plusSeconds(LEFT));
		try (RawHttp http = this.kernel.connect()) {
			assertThat(http.get("/any/", "Cookie", "capuchin-openid-corp=" + cookie).status()).isEqualTo(200);
			assertThat(http.get("/any/", "Cookie", "capuchin-openid-corp=" + cookie).status()).isEqualTo(200);
			await().atMost(Duration.ofSeconds(LEFT + 15))
				.until(() -> http.get("/any/", "Cookie", "capuchin-openid-corp=" + cookie).status(),
						(status) -> status == 302);
			// refused by the memo's own checks: the header was parsed once
			assertThat(mode().cookieHeadersParsed()).isEqualTo(1);
			assertThat(mode().sessionCookiesOpened()).isEqualTo(1);
		}
	}

	@Test
	void theSameCookieOnOneConnectionIsRefusedOnceIdle() throws Exception {
		Instant now = Instant.now();
		String cookie = session("brief", KEY, "alice", now.minusSeconds(60), now, now.plusSeconds(3600));
		try (RawHttp http = this.kernel.connect()) {
			assertThat(http.get("/short/", "Cookie", "capuchin-openid-brief=" + cookie).status()).isEqualTo(200);
			assertThat(http.get("/short/", "Cookie", "capuchin-openid-brief=" + cookie).status()).isEqualTo(200);
			await().atMost(SHORT_IDLE.plusSeconds(15))
				.until(() -> http.get("/short/", "Cookie", "capuchin-openid-brief=" + cookie).status(),
						(status) -> status == 302);
			// refused by the memo's own checks: the header was parsed once
			assertThat(mode().cookieHeadersParsed()).isEqualTo(1);
			assertThat(mode().sessionCookiesOpened()).isEqualTo(1);
		}
	}

	@Test
	void theSameCookieOnOneConnectionIsRefusedPastTheAbsoluteLifetime() throws Exception {
		Instant now = Instant.now();
		Instant issued = now.minus(OpenIdBlock.DEFAULT_ABSOLUTE).plusSeconds(LEFT);
		String cookie = session("corp", KEY, "alice", issued, now, now.plusSeconds(3600));
		try (RawHttp http = this.kernel.connect()) {
			assertThat(http.get("/any/", "Cookie", "capuchin-openid-corp=" + cookie).status()).isEqualTo(200);
			assertThat(http.get("/any/", "Cookie", "capuchin-openid-corp=" + cookie).status()).isEqualTo(200);
			await().atMost(Duration.ofSeconds(LEFT + 15))
				.until(() -> http.get("/any/", "Cookie", "capuchin-openid-corp=" + cookie).status(),
						(status) -> status == 302);
			// refused by the memo's own checks: the header was parsed once
			assertThat(mode().cookieHeadersParsed()).isEqualTo(1);
			assertThat(mode().sessionCookiesOpened()).isEqualTo(1);
		}
	}

	@Test
	void theSameCookieHeaderOnAKeepAliveConnectionIsParsedAndDecryptedOnce() throws Exception {
		Instant now = Instant.now();
		String header = "theme=dark; capuchin-openid-corp="
				+ session("corp", KEY, "alice", now.minusSeconds(60), now, now.plusSeconds(3600)) + "; lang=en";
		try (RawHttp http = this.kernel.connect()) {
			for (int i = 0; i < 20; i++) {
				assertThat(http.get("/any/", "Cookie", header).header("X-User")).isEqualTo("alice");
			}
		}
		assertThat(mode().cookieHeadersParsed()).isEqualTo(1);
		assertThat(mode().sessionCookiesOpened()).isEqualTo(1);
	}

	@Test
	void theSameSessionCookieAmongChangedOtherCookiesIsParsedButNotDecryptedAgain() throws Exception {
		Instant now = Instant.now();
		String cookie = "capuchin-openid-corp="
				+ session("corp", KEY, "alice", now.minusSeconds(60), now, now.plusSeconds(3600));
		try (RawHttp http = this.kernel.connect()) {
			assertThat(http.get("/any/", "Cookie", cookie).header("X-User")).isEqualTo("alice");
			assertThat(http.get("/any/", "Cookie", "theme=dark; " + cookie).header("X-User")).isEqualTo("alice");
			assertThat(http.get("/any/", "Cookie", "theme=dark; " + cookie).header("X-User")).isEqualTo("alice");
		}
		assertThat(mode().cookieHeadersParsed()).isEqualTo(2);
		assertThat(mode().sessionCookiesOpened()).isEqualTo(1);
	}

	@Test
	void aDifferentCookieHeaderOnTheSameConnectionIsParsedAndVerified() throws Exception {
		Instant now = Instant.now();
		String cookie = session("corp", KEY, "alice", now.minusSeconds(60), now, now.plusSeconds(3600));
		try (RawHttp http = this.kernel.connect()) {
			assertThat(http.get("/any/", "Cookie", "capuchin-openid-corp=" + cookie).status()).isEqualTo(200);
			RawHttp.Response forged = http.get("/any/", "Cookie", "capuchin-openid-corp=" + tampered(cookie));
			assertThat(forged.status()).isEqualTo(302);
			assertThat(forged.headers()).doesNotContainKey("x-user");
			assertThat(mode().cookieHeadersParsed()).isEqualTo(2);
			assertThat(mode().sessionCookiesOpened()).isEqualTo(2);
			// the memo still holds the valid header, which needs no new parse
			assertThat(http.get("/any/", "Cookie", "capuchin-openid-corp=" + cookie).status()).isEqualTo(200);
			assertThat(mode().cookieHeadersParsed()).isEqualTo(2);
		}
	}

	@Test
	void aBackChannelLogoutArrivingWhileAKeepAliveConnectionIsOpenIsRefusedOnItsNextRequest() throws Exception {
		Instant now = Instant.now();
		String cookie = "capuchin-openid-corp="
				+ session("corp", KEY, "alice", now.minusSeconds(60), now, now.plusSeconds(3600), "sid-alice");
		try (RawHttp http = this.kernel.connect()) {
			assertThat(http.get("/any/", "Cookie", cookie).status()).isEqualTo(200);
			assertThat(http.get("/any/", "Cookie", cookie).status()).isEqualTo(200);
			this.plugin.openIdRevocations()
				.revoke(new OpenIdRevocations.Revocation(this.issuer.url(), "sid-alice", null, Instant.now(),
						Instant.now().plusSeconds(3600)));
			RawHttp.Response refused = http.get("/any/", "Cookie", cookie);
			assertThat(refused.status()).isEqualTo(302);
			assertThat(refused.headers()).doesNotContainKey("x-user");
		}
		assertThat(mode().cookieHeadersParsed()).isEqualTo(1);
	}

	@Test
	void aSubjectsBackChannelLogoutEndsTheSessionOnAnOpenConnection() throws Exception {
		Instant now = Instant.now();
		String cookie = "capuchin-openid-corp="
				+ session("corp", KEY, "alice", now.minusSeconds(60), now, now.plusSeconds(3600));
		String bob = "capuchin-openid-corp="
				+ session("corp", KEY, "bob", now.minusSeconds(60), now, now.plusSeconds(3600));
		try (RawHttp http = this.kernel.connect(); RawHttp other = this.kernel.connect()) {
			assertThat(http.get("/any/", "Cookie", cookie).status()).isEqualTo(200);
			assertThat(other.get("/any/", "Cookie", bob).status()).isEqualTo(200);
			this.plugin.openIdRevocations()
				.revoke(new OpenIdRevocations.Revocation(this.issuer.url(), null, "alice", Instant.now(),
						Instant.now().plusSeconds(3600)));
			assertThat(http.get("/any/", "Cookie", cookie).status()).isEqualTo(302);
			assertThat(other.get("/any/", "Cookie", bob).status()).isEqualTo(200);
		}
	}

	@Test
	void aReissuedCookieIsTakenOnTheSameConnectionAndTheOldOneStillCounts() throws Exception {
		Instant now = Instant.now();
		String stale = session("corp", KEY, "alice", now.minusSeconds(600), now.minusSeconds(120),
				now.plusSeconds(3600));
		try (RawHttp http = this.kernel.connect()) {
			RawHttp.Response first = http.get("/any/", "Cookie", "capuchin-openid-corp=" + stale);
			assertThat(first.status()).isEqualTo(200);
			String setCookie = first.header("Set-Cookie");
			assertThat(setCookie).startsWith("capuchin-openid-corp=");
			String fresh = setCookie.substring("capuchin-openid-corp=".length(), setCookie.indexOf(';'));
			RawHttp.Response second = http.get("/any/", "Cookie", "capuchin-openid-corp=" + fresh);
			assertThat(second.status()).isEqualTo(200);
			assertThat(second.header("X-User")).isEqualTo("alice");
			assertThat(second.headers()).doesNotContainKey("set-cookie");
			// a request sent before the new cookie arrived: still a session, written
			// again
			RawHttp.Response late = http.get("/any/", "Cookie", "capuchin-openid-corp=" + stale);
			assertThat(late.status()).isEqualTo(200);
			assertThat(late.header("Set-Cookie")).startsWith("capuchin-openid-corp=");
		}
	}

	@Test
	void theSameCookieOnManyNewConnectionsIsDecryptedOnce() throws Exception {
		Instant now = Instant.now();
		String cookie = session("corp", KEY, "alice", now.minusSeconds(60), now, now.plusSeconds(3600));
		for (int i = 0; i < 8; i++) {
			try (RawHttp http = this.kernel.connect()) {
				assertThat(http.get("/any/", "Cookie", "capuchin-openid-corp=" + cookie).header("X-User"))
					.isEqualTo("alice");
			}
		}
		assertThat(mode().cookieHeadersParsed()).isEqualTo(8);
		assertThat(mode().sessionCookiesOpened()).isEqualTo(1);
	}

	@Test
	void aCookieOpenedOnAnotherConnectionIsStillRefusedOnceIdle() throws Exception {
		Instant now = Instant.now();
		String cookie = session("brief", KEY, "alice", now.minusSeconds(60), now, now.plusSeconds(3600));
		try (RawHttp http = this.kernel.connect()) {
			assertThat(http.get("/short/", "Cookie", "capuchin-openid-brief=" + cookie).status()).isEqualTo(200);
		}
		await().atMost(SHORT_IDLE.plusSeconds(15)).until(() -> {
			try (RawHttp http = this.kernel.connect()) {
				return http.get("/short/", "Cookie", "capuchin-openid-brief=" + cookie).status();
			}
		}, (status) -> status == 302);
		assertThat(mode().sessionCookiesOpened()).isEqualTo(1);
	}

	@Test
	void twoConnectionsWithDifferentSessionsNeverSeeEachOthersIdentity() throws Exception {
		Instant now = Instant.now();
		String alice = session("corp", KEY, "alice", now.minusSeconds(60), now, now.plusSeconds(3600));
		String bob = session("corp", KEY, "bob", now.minusSeconds(60), now, now.plusSeconds(3600));
		try (RawHttp first = this.kernel.connect(); RawHttp second = this.kernel.connect()) {
			for (int i = 0; i < 3; i++) {
				assertThat(first.get("/any/", "Cookie", "capuchin-openid-corp=" + alice).header("X-User"))
					.isEqualTo("alice");
				assertThat(second.get("/any/", "Cookie", "capuchin-openid-corp=" + bob).header("X-User"))
					.isEqualTo("bob");
			}
		}
	}

	@Test
	void anotherCookieOnTheSameConnectionReplacesTheMemo() throws Exception {
		Instant now = Instant.now();
		String alice = session("corp", KEY, "alice", now.minusSeconds(60), now, now.plusSeconds(3600));
		String bob = session("corp", KEY, "bob", now.minusSeconds(60), now, now.plusSeconds(3600));
		try (RawHttp http = this.kernel.connect()) {
			assertThat(http.get("/any/", "Cookie", "capuchin-openid-corp=" + alice).header("X-User"))
				.isEqualTo("alice");
			assertThat(http.get("/any/", "Cookie", "capuchin-openid-corp=" + bob).header("X-User")).isEqualTo("bob");
			assertThat(http.get("/any/", "Cookie", "capuchin-openid-corp=" + alice).header("X-User"))
				.isEqualTo("alice");
			assertThat(http.get("/any/", "Cookie", null).status()).isEqualTo(302);
		}
	}

	@Test
	void theRememberedCookieUnderAnotherLoginsNameIsNotASession() throws Exception {
		Instant now = Instant.now();
		String alice = session("corp", KEY, "alice", now.minusSeconds(60), now, now.plusSeconds(3600));
		try (RawHttp http = this.kernel.connect()) {
			assertThat(http.get("/any/", "Cookie", "capuchin-openid-corp=" + alice).status()).isEqualTo(200);
			assertThat(http.get("/other/", "Cookie", "capuchin-openid-other=" + alice).status()).isEqualTo(302);
		}
	}

	private Map<String, Object> location(String path, String login, byte[] key, Map<String, Object> session) {
		Map<String, Object> block = new LinkedHashMap<>();
		block.put("login", login);
		block.put("issuer", this.issuer.url());
		block.put("client-id", "capuchin");
		block.put("client-secret", "s3cret");
		block.put("user-claim", "preferred_username");
		block.put("session-key", Base64.getEncoder().encodeToString(key));
		if (!session.isEmpty()) {
			block.put("session", session);
		}
		return Map.of("path", path, "auth", Map.of("realm", "Team", "openid", block));
	}

	private static String session(String login, byte[] key, String user, Instant issued, Instant lastSeen,
			Instant expires) {
		return session(login, key, user, issued, lastSeen, expires, null);
	}

	/** A sealed session as a sign-in writes it, with the provider's {@code sid}. */
	private static String session(String login, byte[] key, String user, Instant issued, Instant lastSeen,
			Instant expires, String sid) {
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().claim("use", SealedCookies.SESSION)
			.claim("lgn", login)
			.subject(user)
			.issueTime(Date.from(issued))
			.claim("lst", lastSeen.getEpochSecond())
			.expirationTime(Date.from(expires))
			.claim("clm", Map.of())
			.claim("ps", user);
		if (sid != null) {
			claims.claim("sid", sid);
		}
		return SealedCookies.seal(login, key, claims.build());
	}

	/** The cookie with one character of its ciphertext changed. */
	private static String tampered(String cookie) {
		int at = cookie.lastIndexOf('.') - 3;
		char changed = (cookie.charAt(at) == 'A') ? 'B' : 'A';
		return cookie.substring(0, at) + changed + cookie.substring(at + 1);
	}

	private OpenIdAuthMode mode() {
		return (OpenIdAuthMode) this.plugin.modes().get(OpenIdAuthMode.NAME);
	}

}
