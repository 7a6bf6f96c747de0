package dev.capuchin.plugin.auth;

import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import com.nimbusds.jose.jwk.RSAKey;
import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.spi.Exchange;
import dev.capuchin.core.spi.LogEvent;
import dev.capuchin.core.spi.Plugin;
import dev.capuchin.core.spi.RequestResult;
import dev.capuchin.core.spi.Stage;
import dev.capuchin.core.testing.EveryTransport;
import dev.capuchin.core.testing.KernelFixture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code openid} mode with {@code client-auth: private-key-jwt} over real sockets,
 * against a real provider ({@code oidc-provider}) whose client {@code capuchin-jwt}
 * authenticates with {@code private_key_jwt} and knows one public key: the code exchange
 * and the refresh sign their client assertions with the location's key, and a location
 * holding another key is refused by the provider, with the provider's reason in the log.
 */
@EveryTransport
class OpenIdPrivateKeyJwtSocketTests {

	private static final byte[] SESSION_KEY = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII);

	private static int kernelPort;

	private static OpenIdProvider provider;

	private static String registeredKey;

	@TempDir
	Path temp;

	@Parameter
	Transport transport;

	private KernelFixture kernel;

	private final Browser browser = new Browser();

	private final List<String> tokens = new CopyOnWriteArrayList<>();

	private final List<String> reasons = new CopyOnWriteArrayList<>();

	@BeforeAll
	static void startProvider() throws Exception {
		KeyPair pair = rsa();
		registeredKey = pem(pair);
		// the key id a PEM key gets is its thumbprint: the provider picks the key by it
		String jwks = "{\"keys\":["
				+ new RSAKey.Builder((RSAPublicKey) pair.getPublic()).keyIDFromThumbprint().build().toJSONString()
				+ "]}";
		kernelPort = OpenIdProvider.freePort();
		// access tokens good for 2 seconds: the refresh test waits that long
		provider = OpenIdProvider.start("http://127.0.0.1:" + kernelPort + "/.capuchin/openid/callback",
				Map.of(OpenIdProvider.CLIENT_JWKS, jwks, "ACCESS_TTL", "2"));
	}

	@AfterAll
	static void stopProvider() throws Exception {
		if (provider != null) {
			provider.close();
		}
	}

	private static KeyPair rsa() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		return generator.generateKeyPair();
	}

	private static String pem(KeyPair pair) {
		return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
			.encodeToString(pair.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
	}

	private static Map<String, Object> location(String path, String login, String key, Map<String, Object> extra) {
		Map<String, Object> block = new LinkedHashMap<>();
		block.put("login", login);
		block.put("issuer", provider.url());
		block.put("client-id", OpenIdProvider.JWT_CLIENT_ID);
		block.put("client-auth", "private-key-jwt");
		block.put("private-key", key);
		block.put("user-claim", "preferred_username");
		block.put("session-key", Base64.getEncoder().encodeToString(SESSION_KEY));
		block.putAll(extra);
		return Map.of("path", path, "auth", Map.of("realm", "Team", "openid", block));
	}

	@BeforeEach
	void start() throws Exception {
		List<Map<String, Object>> locations = List.of(location("/team/", "corp-jwt", registeredKey, Map.of()),
				location("/wrong/", "wrong-key", pem(rsa()), Map.of()),
				location("/fresh/", "fresh-jwt", registeredKey,
						Map.of("scopes", List.of("openid", "email", "profile", "offline_access"), "parameters",
								Map.of("prompt", "consent"), "forward", Map.of("access-token", true))));
		this.kernel = KernelFixture.builder(this.temp)
			.transport(this.transport)
			.listenerAddress(new InetSocketAddress("127.0.0.1", kernelPort))
			.plugin(new AuthPlugin(AuthSettings.defaults()))
			.plugin(new Recorder())
			.defaultSite(Map.of("locations", locations))
			.file("team/index.html", "team")
			.file("wrong/index.html", "wrong")
			.file("fresh/index.html", "fresh")
			.start();
	}

	@AfterEach
	void stop() {
		if (this.kernel != null) {
			this.kernel.close();
		}
	}

	private String site() {
		return "http://127.0.0.1:" + kernelPort;
	}

	@Test
	void aClientAssertionSignedWithTheRegisteredKeySignsIn() throws Exception {
		Browser.Step end = this.browser.signIn(this.browser.get(site() + "/team/"), "alice", null);
		assertThat(end.response().statusCode()).isEqualTo(200);
		assertThat(end.response().body()).isEqualTo("team");
		assertThat(this.browser.cookie("capuchin-openid-corp-jwt")).isNotNull();
	}

	@Test
	void aClientAssertionSignedWithAnotherKeyIsRefusedByTheProviderAndTheLogSaysSo() throws Exception {
		Browser.Step end = this.browser.signIn(this.browser.get(site() + "/wrong/"), "alice", null);
		assertThat(end.response().statusCode()).isEqualTo(401);
		assertThat(end.response().body()).doesNotContain("invalid_client");
		assertThat(this.browser.cookie("capuchin-openid-wrong-key")).isNull();
		Awaitility.await()
			.atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.reasons).anySatisfy((reason) -> assertThat(reason)
				.startsWith("login wrong-key: the token endpoint answered 401 invalid_client")));
	}

	@Test
	void theRefreshIsAuthenticatedWithTheKeyToo() throws Exception {
		Browser.Step end = this.browser.signIn(this.browser.get(site() + "/fresh/"), "alice", null);
		assertThat(end.response().body()).isEqualTo("fresh");
		String first = this.tokens.get(this.tokens.size() - 1);
		// the provider's access tokens for this client last 2 seconds
		Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
			this.tokens.clear();
			HttpResponse<String> response = this.browser.get(site() + "/fresh/");
			return response.statusCode() == 200 && !this.tokens.isEmpty() && !first.equals(this.tokens.get(0));
		});
		assertThat(this.reasons).noneSatisfy((reason) -> assertThat(reason).contains("token endpoint answered"));
	}

	/**
	 * Keeps the access tokens forwarded to what is behind, and the reasons of refusals.
	 */
	private final class Recorder implements Plugin {

		@Override
		public String name() {
			return "recorder";
		}

		@Override
		public Set<Stage> stages() {
			return Set.of(Stage.REQUEST, Stage.LOG);
		}

		@Override
		public Mono<RequestResult> onRequest(Exchange exchange) {
			String token = exchange.request().requestHeaders().get("X-Forwarded-Access-Token");
			if (token != null) {
				OpenIdPrivateKeyJwtSocketTests.this.tokens.add(token);
			}
			return CONTINUE;
		}

		@Override
		public void onLog(LogEvent event) {
			Object reason = event.attribute(Exchange.ERROR_REASON);
			if (reason != null) {
				OpenIdPrivateKeyJwtSocketTests.this.reasons.add(reason.toString());
			}
		}

	}

}
