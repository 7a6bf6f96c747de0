package dev.capuchin.plugin.auth;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.spi.Exchange;
import dev.capuchin.core.spi.Plugin;
import dev.capuchin.core.spi.RequestResult;
import dev.capuchin.core.spi.Stage;
import dev.capuchin.core.testing.EveryTransport;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code bearer} mode in a running kernel, over real sockets, against a real issuer
 * on loopback (discovery, JWK set, introspection) and tokens signed with Nimbus.
 */
@ExtendWith(OutputCaptureExtension.class)
@EveryTransport
class BearerSocketTests {

	private static final String API_CHALLENGE = "Bearer realm=\"API\"";

	private static final String INVALID_TOKEN = "Bearer realm=\"API\", error=\"invalid_token\"";

	/** Short enough for a test to wait for, long enough to see the floor work. */
	private static final Duration REFRESH_FLOOR = Duration.ofSeconds(1);

	@TempDir
	Path temp;

	@Parameter
	Transport transport;

	private TestIssuer issuer;

	private int downPort;

	private TestIssuer revived;

	private KernelFixture kernel;

	private final List<String> seen = new CopyOnWriteArrayList<>();

	@BeforeEach
	void start() throws Exception {
		this.issuer = TestIssuer.start();
		try (ServerSocket free = new ServerSocket(0)) {
			this.downPort = free.getLocalPort();
		}
		BearerSettings bearer = BearerSettings.defaults()
			.withTimes(REFRESH_FLOOR, Duration.ofMillis(200), BearerSettings.DEFAULT_TOKEN_CACHE_TTL);
		AuthPlugin plugin = new AuthPlugin(AuthSettings.defaults(), bearer);
		Map<String, Object> api = Map.of("path", "/api/", "auth",
				Map.of("realm", "API", "bearer",
						Map.of("issuer", this.issuer.url(), "audience", "capuchin-api", "scopes", List.of("read"),
								"claims", List.of("email", "scope"), "introspection",
								Map.of("client-id", TestIssuer.CLIENT_ID, "client-secret", TestIssuer.CLIENT_SECRET))));
		Map<String, Object> admin = Map.of("path", "/admin/", "auth",
				Map.of("realm", "Admin", "bearer", Map.of("issuer", this.issuer.url(), "scopes", List.of("admin"))));
		Map<String, Object> down = Map.of("path", "/down/", "auth",
				Map.of("bearer", Map.of("issuer", "http://127.0.0.1:" + this.downPort)));
		this.kernel = KernelFixture.builder(this.temp)
			.transport(this.transport)
			.plugin(plugin)
			.plugin(new Recorder())
			.defaultSite(Map.of("locations", List.of(api, admin, down)))
			.file("api/data.json", "{\"data\":1}")
			.file("admin/index.html", "admin")
			.file("down/index.html", "down")
			.file("public.html", "public")
			.start();
	}

	@AfterEach
	void stop() {
		this.kernel.close();
		this.issuer.close();
		if (this.revived != null) {
			this.revived.close();
		}
	}

	@Test
	void aValidJwtGets200() throws Exception {
		RawHttp.Response response = get("/api/data.json", "Bearer " + this.issuer.token((claims) -> {
		}));
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.text()).isEqualTo("{\"data\":1}");
	}

	@Test
	void theSubjectSchemeAndChosenClaimsReachLaterStagesOnTheEventLoop() throws Exception {
		get("/api/data.json", "Bearer " + this.issuer.token((claims) -> {
		}));
		assertThat(this.seen).singleElement().satisfies((entry) -> {
			assertThat(entry).startsWith("alice Bearer {email=alice@example.com, scope=read write}@");
			assertThat(entry).doesNotContain("reactor-http").doesNotContain("capuchin-auth");
		});
	}

	@Test
	void aRequestWithoutATokenGets401WithoutAnError() throws Exception {
		RawHttp.Response response = get("/api/data.json", null);
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.header("WWW-Authenticate")).isEqualTo(API_CHALLENGE);
		assertThat(response.text()).doesNotContain("data");
	}

	@Test
	void basicCredentialsOnABearerLocationGet401WithoutAnError() throws Exception {
		RawHttp.Response response = get("/api/data.json", AuthSocketTests.basic("alice", "wonderland"));
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.header("WWW-Authenticate")).isEqualTo(API_CHALLENGE);
	}

	@ParameterizedTest
	@ValueSource(strings = { "Bearer", "Bearer ", "Bearer a b", "Bearer t\u00f6ken", "Bearer =abc", "Bearer a=b",
			"bearer {}" })
	void aMalformedHeaderGets401InvalidToken(String authorization) throws Exception {
		RawHttp.Response response = get("/api/data.json", authorization);
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.header("WWW-Authenticate")).isEqualTo(INVALID_TOKEN);
	}

	@Test
	void theSchemeIsCaseInsensitive() throws Exception {
		assertThat(get("/api/data.json", "bEARER " + this.issuer.token((claims) -> {
		})).status()).isEqualTo(200);
	}

	@Test
	void anExpiredJwtGets401InvalidToken() throws Exception {
		Instant past = Instant.now().minusSeconds(600);
		String token = this.issuer
			.token((claims) -> claims.issueTime(Date.from(past.minusSeconds(300))).expirationTime(Date.from(past)));
		RawHttp.Response response = get("/api/data.json", "Bearer " + token);
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.header("WWW-Authenticate")).isEqualTo(INVALID_TOKEN);
	}

	@Test
	void aJwtExpiredWithinTheClockSkewIsStillAccepted() throws Exception {
		Instant now = Instant.now();
		String token = this.issuer.token((claims) -> claims.issueTime(Date.from(now.minusSeconds(300)))
			.expirationTime(Date.from(now.minusSeconds(10))));
		assertThat(get("/api/data.json", "Bearer " + token).status()).isEqualTo(200);
	}

	@Test
	void aJwtWithoutExpGets401InvalidToken() throws Exception {
		String token = this.issuer.token((claims) -> claims.expirationTime(null));
		assertThat(get("/api/data.json", "Bearer " + token).header("WWW-Authenticate")).isEqualTo(INVALID_TOKEN);
	}

	@Test
	void aJwtNotYetValidGets401InvalidToken() throws Exception {
		String token = this.issuer.token((claims) -> claims.notBeforeTime(Date.from(Instant.now().plusSeconds(600))));
		RawHttp.Response response = get("/api/data.json", "Bearer " + token);
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.header("WWW-Authenticate")).isEqualTo(INVALID_TOKEN);
	}

	@Test
	void aJwtFromAnotherIssuerGets401InvalidToken() throws Exception {
		String token = this.issuer.token((claims) -> claims.issuer("http://127.0.0.1:1/elsewhere"));
		assertThat(get("/api/data.json", "Bearer " + token).header("WWW-Authenticate")).isEqualTo(INVALID_TOKEN);
	}

	@Test
	void aJwtForAnotherAudienceGets401InvalidToken() throws Exception {
		String token = this.issuer.token((claims) -> claims.audience(List.of("billing", "reports")));
		RawHttp.Response response = get("/api/data.json", "Bearer " + token);
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.header("WWW-Authenticate")).isEqualTo(INVALID_TOKEN);
	}

	@Test
	void aJwtWithoutARequiredScopeGets403InsufficientScope() throws Exception {
		RawHttp.Response response = get("/admin/", "Bearer " + this.issuer.token((claims) -> {
		}));
		assertThat(response.status()).isEqualTo(403);
		assertThat(response.header("WWW-Authenticate"))
			.isEqualTo("Bearer realm=\"Admin\", error=\"insufficient_scope\", scope=\"admin\"");
		assertThat(this.seen).isEmpty();
	}

	@Test
	void scopesAreReadFromScpAsWell() throws Exception {
		String token = this.issuer.token((claims) -> claims.claim("scope", null).claim("scp", List.of("admin")));
		assertThat(get("/admin/", "Bearer " + token).text()).isEqualTo("admin");
	}

	@Test
	void aJwtSignedByAnUnpublishedKeyGets401() throws Exception {
		RSAKey stranger = new RSAKeyGenerator(2048).keyID("key-1").generate();
		String token = this.issuer.sign(stranger, (claims) -> {
		});
		assertThat(get("/api/data.json", "Bearer " + token).header("WWW-Authenticate")).isEqualTo(INVALID_TOKEN);
	}

	@Test
	void unsignedAndSymmetricallySignedJwtsGet401() throws Exception {
		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(this.issuer.url())
			.subject("mallory")
			.audience("capuchin-api")
			.claim("scope", "read")
			.expirationTime(Date.from(Instant.now().plusSeconds(300)))
			.build();
		SignedJWT hmac = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
		hmac.sign(new MACSigner(new byte[32]));
		assertThat(get("/api/data.json", "Bearer " + hmac.serialize()).status()).isEqualTo(401);
		assertThat(get("/api/data.json", "Bearer " + new PlainJWT(claims).serialize()).status()).isEqualTo(401);
	}

	@Test
	void aTokenWithAnUnknownKeyIdAfterARotationFetchesTheJwkSetAgain() throws Exception {
		assertThat(get("/api/data.json", "Bearer " + this.issuer.token((claims) -> {
		})).status()).isEqualTo(200);
		assertThat(this.issuer.jwksFetches()).isEqualTo(1);
		this.issuer.rotate("key-2");
		String rotated = this.issuer.token((claims) -> {
		});
		// a fetch at most once per refresh floor: wait for the floor after the first
		// fetch
		await().atMost(REFRESH_FLOOR.plusSeconds(5))
			.until(() -> get("/api/data.json", "Bearer " + rotated).status(), (status) -> status == 200);
		assertThat(this.issuer.jwksFetches()).isEqualTo(2);
	}

	@Test
	void aFloodOfUnknownKeyIdsFetchesTheJwkSetAtMostOncePerFloor() throws Exception {
		RSAKey forged = new RSAKeyGenerator(2048).generate();
		List<String> tokens = new java.util.ArrayList<>();
		// nine: the tenth failure would reach the default failure limit (429)
		for (int i = 0; i < 9; i++) {
			tokens.add(this.issuer.sign(new RSAKey.Builder(forged).keyID("forged-" + i).build(), (claims) -> {
			}));
		}
		assertThat(get("/api/data.json", "Bearer " + this.issuer.token((claims) -> {
		})).status()).isEqualTo(200);
		long start = System.nanoTime();
		for (String token : tokens) {
			assertThat(get("/api/data.json", "Bearer " + token).status()).isEqualTo(401);
		}
		long floors = (System.nanoTime() - start) / REFRESH_FLOOR.toNanos();
		// one fetch for the valid token, then at most one per floor that passed
		assertThat(this.issuer.jwksFetches()).isBetween(1, 2 + (int) floors);
	}

	@Test
	void aVerifiedJwtIsCachedSoTheIssuerIsNotAskedAgain() throws Exception {
		String token = this.issuer.token((claims) -> {
		});
		for (int i = 0; i < 3; i++) {
			assertThat(get("/api/data.json", "Bearer " + token).status()).isEqualTo(200);
		}
		assertThat(this.issuer.jwksFetches()).isEqualTo(1);
	}

	@Test
	void anActiveOpaqueTokenGets200ThroughIntrospection() throws Exception {
		this.issuer.opaque("opaque-good", Map.of("active", true, "sub", "bob", "scope", "read", "aud", "capuchin-api",
				"iss", this.issuer.url(), "exp", Instant.now().plusSeconds(300).getEpochSecond()));
		RawHttp.Response response = get("/api/data.json", "Bearer opaque-good");
		assertThat(response.status()).isEqualTo(200);
		assertThat(this.seen).singleElement().asString().startsWith("bob Bearer {scope=read}@");
		assertThat(get("/api/data.json", "Bearer opaque-good").status()).isEqualTo(200);
		assertThat(this.issuer.introspections()).isEqualTo(1);
	}

	@Test
	void aRevokedOpaqueTokenGets401InvalidToken() throws Exception {
		this.issuer.opaque("opaque-revoked", Map.of("active", false));
		RawHttp.Response response = get("/api/data.json", "Bearer opaque-revoked");
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.header("WWW-Authenticate")).isEqualTo(INVALID_TOKEN);
	}

	@Test
	void anOpaqueTokenOnALocationWithoutIntrospectionCredentialsGets401() throws Exception {
		this.issuer.opaque("opaque-admin", Map.of("active", true, "sub", "bob", "scope", "admin"));
		assertThat(get("/admin/", "Bearer opaque-admin").status()).isEqualTo(401);
		assertThat(this.issuer.introspections()).isZero();
	}

	@Test
	void anIssuerThatIsDownGets503AndTheNextRequestOnceItIsBackWorks(CapturedOutput output) throws Exception {
		String downIssuer = "http://127.0.0.1:" + this.downPort;
		RSAKey unknown = new RSAKeyGenerator(2048).keyID("key-1").generate();
		RawHttp.Response down = get("/down/",
				"Bearer " + this.issuer.sign(unknown, (claims) -> claims.issuer(downIssuer)));
		assertThat(down.status()).isEqualTo(503);
		assertThat(down.header("Retry-After")).isEqualTo("1");
		assertThat(output).contains(
				"site default: locations[2].auth: credentials not checked: issuer http://127.0.0.1:" + this.downPort);
		assertThat(get("/public.html", null).status()).isEqualTo(200);
		this.revived = TestIssuer.startOn(this.downPort);
		String token = this.revived.token((claims) -> claims.issuer(downIssuer));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> get("/down/", "Bearer " + token).status(), (status) -> status == 200);
	}

	@Test
	void aPathOutsideTheProtectedLocationsNeedsNoToken() throws Exception {
		assertThat(get("/public.html", null).text()).isEqualTo("public");
	}

	private RawHttp.Response get(String path, String authorization) throws IOException {
		try (RawHttp http = this.kernel.connect()) {
			return http.exchange("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n"
					+ ((authorization != null) ? "Authorization: " + authorization + "\r\n" : "")
					+ "Connection: close\r\n\r\n");
		}
	}

	/**
	 * A later REQUEST plugin that records the user, scheme, claims and its thread.
	 */
	private final class Recorder implements Plugin {

		@Override
		public String name() {
			return "recorder";
		}

		@Override
		public Set<Stage> stages() {
			return Set.of(Stage.REQUEST);
		}

		@Override
		public Mono<RequestResult> onRequest(Exchange exchange) {
			String user = exchange.attribute(Exchange.USER);
			if (user != null) {
				Map<String, String> claims = exchange.attribute(AuthPlugin.CLAIMS_ATTRIBUTE);
				BearerSocketTests.this.seen.add(user + " " + exchange.attribute(Exchange.AUTH_TYPE) + " "
						+ ((claims != null) ? new java.util.TreeMap<>(claims) : "{}") + "@"
						+ Thread.currentThread().getName());
			}
			return CONTINUE;
		}

	}

}
