package dev.capuchin.plugin.auth;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.testing.EveryTransport;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;
import dev.capuchin.core.testing.UserHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code bearer} mode's per-connection memo of the last verified header, over real
 * keep-alive sockets against a real issuer on loopback: it never outlives the token's
 * expiry or the token cache's time-to-live, and never crosses connections.
 */
@EveryTransport
class BearerConnectionMemoSocketTests {

	private static final String INVALID_TOKEN = "Bearer realm=\"API\", error=\"invalid_token\"";

	/** A short cache time-to-live, for the tests that wait for it. */
	private static final Duration SHORT_TTL = Duration.ofSeconds(1);

	@TempDir
	Path temp;

	@Parameter
	Transport transport;

	private TestIssuer issuer;

	private KernelFixture kernel;

	@BeforeEach
	void startIssuer() throws Exception {
		this.issuer = TestIssuer.start();
	}

	@AfterEach
	void stop() {
		if (this.kernel != null) {
			this.kernel.close();
		}
		this.issuer.close();
	}

	@Test
	void theSameTokenOnOneConnectionIsRefusedOnceItExpires() throws Exception {
		start(BearerSettings.DEFAULT_TOKEN_CACHE_TTL);
		Instant now = Instant.now();
		String token = this.issuer.token((claims) -> claims.expirationTime(Date.from(now.plusSeconds(6))));
		try (RawHttp http = this.kernel.connect()) {
			assertThat(get(http, "Bearer " + token).status()).isEqualTo(200);
			assertThat(get(http, "Bearer " + token).status()).isEqualTo(200);
			await().atMost(Duration.ofSeconds(20))
				.until(() -> get(http, "Bearer " + token).status(), (status) -> status == 401);
			RawHttp.Response refused = get(http, "Bearer " + token);
			assertThat(refused.status()).isEqualTo(401);
			assertThat(refused.header("WWW-Authenticate")).isEqualTo(INVALID_TOKEN);
		}
	}

	@Test
	void aRevokedOpaqueTokenIsRefusedOnAnOpenConnectionOnceTheCacheTimeToLiveHasPassed() throws Exception {
		start(SHORT_TTL);
		this.issuer.opaque("opaque-kept", Map.of("active", true, "sub", "bob", "scope", "read", "aud", "capuchin-api",
				"exp", Instant.now().plusSeconds(300).getEpochSecond()));
		try (RawHttp http = this.kernel.connect()) {
			assertThat(get(http, "Bearer opaque-kept").status()).isEqualTo(200);
			assertThat(get(http, "Bearer opaque-kept").status()).isEqualTo(200);
			assertThat(this.issuer.introspections()).isEqualTo(1);
			this.issuer.opaque("opaque-kept", Map.of("active", false));
			await().atMost(SHORT_TTL.plusSeconds(10))
				.until(() -> get(http, "Bearer opaque-kept").status(), (status) -> status == 401);
			assertThat(this.issuer.introspections()).isEqualTo(2);
		}
	}

	@Test
	void twoConnectionsWithDifferentTokensNeverSeeEachOthersIdentity() throws Exception {
		start(BearerSettings.DEFAULT_TOKEN_CACHE_TTL);
		String alice = "Bearer " + this.issuer.token((claims) -> {
		});
		String bob = "Bearer " + this.issuer.token((claims) -> claims.subject("bob"));
		try (RawHttp first = this.kernel.connect(); RawHttp second = this.kernel.connect()) {
			for (int i = 0; i < 3; i++) {
				assertThat(get(first, alice).header("X-User")).isEqualTo("alice");
				assertThat(get(second, bob).header("X-User")).isEqualTo("bob");
			}
		}
	}

	@Test
	void anotherTokenOnTheSameConnectionReplacesTheMemo() throws Exception {
		start(BearerSettings.DEFAULT_TOKEN_CACHE_TTL);
		String alice = "Bearer " + this.issuer.token((claims) -> {
		});
		String bob = "Bearer " + this.issuer.token((claims) -> claims.subject("bob"));
		try (RawHttp http = this.kernel.connect()) {
			assertThat(get(http, alice).header("X-User")).isEqualTo("alice");
			assertThat(get(http, bob).header("X-User")).isEqualTo("bob");
			assertThat(get(http, bob).header("X-User")).isEqualTo("bob");
			assertThat(get(http, alice).header("X-User")).isEqualTo("alice");
		}
	}

	@Test
	void aRequestWithoutATokenOrWithAnotherOneAfterAVerifiedOneIsRefused() throws Exception {
		start(BearerSettings.DEFAULT_TOKEN_CACHE_TTL);
		String alice = "Bearer " + this.issuer.token((claims) -> {
		});
		try (RawHttp http = this.kernel.connect()) {
			assertThat(get(http, alice).status()).isEqualTo(200);
			assertThat(get(http, null).status()).isEqualTo(401);
			assertThat(get(http, alice + "x").header("WWW-Authenticate")).isEqualTo(INVALID_TOKEN);
			assertThat(get(http, alice).status()).isEqualTo(200);
		}
	}

	@Test
	void theSameTokenOnALocationNeedingAnotherScopeIsStillRefused() throws Exception {
		start(BearerSettings.DEFAULT_TOKEN_CACHE_TTL);
		String alice = "Bearer " + this.issuer.token((claims) -> {
		});
		try (RawHttp http = this.kernel.connect()) {
			assertThat(get(http, alice).status()).isEqualTo(200);
			RawHttp.Response admin = http.get("/admin/", "Authorization", alice);
			assertThat(admin.status()).isEqualTo(403);
		}
	}

	private void start(Duration cacheTtl) throws IOException {
		BearerSettings bearer = new BearerSettings(BearerSettings.DEFAULT_TIMEOUT, BearerSettings.DEFAULT_JWKS_TTL,
				BearerSettings.DEFAULT_JWKS_REFRESH_FLOOR, Duration.ofMillis(200), cacheTtl,
				BearerSettings.DEFAULT_TOKEN_CACHE_SIZE, Duration.ZERO, List.of());
		Map<String, Object> api = Map.of("path", "/api/", "auth",
				Map.of("realm", "API", "bearer",
						Map.of("issuer", this.issuer.url(), "audience", "capuchin-api", "scopes", List.of("read"),
								"introspection",
								Map.of("client-id", TestIssuer.CLIENT_ID, "client-secret", TestIssuer.CLIENT_SECRET))));
		Map<String, Object> admin = Map.of("path", "/admin/", "auth",
				Map.of("realm", "Admin", "bearer", Map.of("issuer", this.issuer.url(), "scopes", List.of("admin"))));
		this.kernel = KernelFixture.builder(this.temp)
			.transport(this.transport)
			.plugin(new AuthPlugin(AuthSettings.defaults(), bearer))
			.plugin(new UserHeader())
			.defaultSite(Map.of("locations", List.of(api, admin)))
			.file("api/data.json", "{\"data\":1}")
			.file("admin/index.html", "admin")
			.start();
	}

	private static RawHttp.Response get(RawHttp http, String authorization) throws IOException {
		return http.get("/api/data.json", "Authorization", authorization);
	}

}
