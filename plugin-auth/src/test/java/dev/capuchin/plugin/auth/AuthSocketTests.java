package dev.capuchin.plugin.auth;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.capuchin.core.spi.RequestResult;
import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.testing.EveryTransport;
import dev.capuchin.core.spi.Site;
import dev.capuchin.core.internal.site.SiteLoader;
import dev.capuchin.core.spi.SiteTable;
import dev.capuchin.core.spi.Exchange;
import dev.capuchin.core.spi.Plugin;
import dev.capuchin.core.spi.Stage;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * The auth plugin in a running kernel, over real sockets, with real users files.
 */
@ExtendWith(OutputCaptureExtension.class)
@EveryTransport
class AuthSocketTests {

	private static final String PRIVATE_CHALLENGE = "Basic realm=\"Private\", charset=\"UTF-8\"";

	private static final Duration WINDOW = Duration.ofSeconds(2);

	@TempDir
	Path temp;

	private Path users;

	private AuthPlugin plugin;

	private KernelFixture kernel;

	private final List<String> seen = new CopyOnWriteArrayList<>();

	private String carolHash;

	@Parameter
	Transport transport;

	@BeforeEach
	void start() throws Exception {
		String dave = "dave:" + new BCryptPasswordEncoder(4).encode("s3cret");
		this.users = Files.writeString(this.temp.resolve("users"), String.join("\n", "# test users",
				UsersFileTests.HTPASSWD_ALICE, UsersFileTests.SHA_BOB, UsersFileTests.HTPASSWD_ZOE, dave, ""),
				StandardCharsets.UTF_8);
		this.carolHash = new BCryptPasswordEncoder(4).encode("inline-pw");
		this.plugin = new AuthPlugin(AuthSettings.defaults().withFailureLimit(3, WINDOW));
		this.kernel = KernelFixture.builder(this.temp)
			.transport(this.transport)
			.plugin(this.plugin)
			.plugin(new Recorder())
			.defaultSite(Map.of("locations", locations(this.carolHash)))
			.file("private/index.html", "secret")
			.file("team/index.html", "team")
			.file("inline/index.html", "inline")
			.file("other-inline/index.html", "other")
			.file("public.html", "public")
			.start();
	}

	/**
	 * The default site's locations: two on the users file, two with inline users in the
	 * same realm (carol's hash of the first given, another password's in the second).
	 */
	private List<Map<String, Object>> locations(String carol) {
		Map<String, Object> privateArea = Map.of("path", "/private/", "auth",
				Map.of("realm", "Private", "users-file", this.users.toString()));
		Map<String, Object> team = Map.of("path", "/team/", "auth", Map.of("realm", "The \"team\" \\ room",
				"users-file", this.users.toString(), "require", List.of("alice", "zoë")));
		Map<String, Object> inline = Map.of("path", "/inline/", "auth",
				Map.of("realm", "Inline", "users", Map.of("carol", carol, "bob", UsersFileTests.SHA_BOB.substring(4))));
		Map<String, Object> otherInline = Map.of("path", "/other-inline/", "auth",
				Map.of("realm", "Inline", "users", Map.of("carol", new BCryptPasswordEncoder(4).encode("other-pw"))));
		return List.of(privateArea, team, inline, otherInline);
	}

	@AfterEach
	void stop() {
		this.kernel.close();
	}

	@Test
	void aRequestWithoutCredentialsGets401WithTheBasicChallenge() throws Exception {
		RawHttp.Response response = get("/private/", null);
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.headers().get("www-authenticate")).containsExactly(PRIVATE_CHALLENGE);
		assertThat(response.text()).doesNotContain("secret");
	}

	@Test
	void theRealmIsQuotedWithQuotesAndBackslashesEscaped() throws Exception {
		assertThat(get("/team/", null).header("WWW-Authenticate"))
			.isEqualTo("Basic realm=\"The \\\"team\\\" \\\\ room\", charset=\"UTF-8\"");
	}

	@Test
	void anHtpasswdBcryptUserGets200() throws Exception {
		RawHttp.Response response = get("/private/", basic("alice", "wonderland"));
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.text()).isEqualTo("secret");
	}

	@Test
	void aGeneratedBcryptUserGets200() throws Exception {
		assertThat(get("/private/", basic("dave", "s3cret")).status()).isEqualTo(200);
	}

	@Test
	void aShaUserGets200() throws Exception {
		assertThat(get("/private/", basic("bob", "builder")).status()).isEqualTo(200);
	}

	@Test
	void utf8CredentialsGet200() throws Exception {
		assertThat(get("/private/", basic("zoë", "pässwörd")).status()).isEqualTo(200);
	}

	@Test
	void aWrongPasswordGets401WithTheChallenge() throws Exception {
		RawHttp.Response response = get("/private/", basic("alice", "wonderlant"));
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.header("WWW-Authenticate")).isEqualTo(PRIVATE_CHALLENGE);
	}

	@Test
	void anUnknownUserGets401() throws Exception {
		assertThat(get("/private/", basic("mallory", "wonderland")).status()).isEqualTo(401);
	}

	@ParameterizedTest
	@ValueSource(strings = { "Basic !!!", "Basic YWxpY2U=", "Basic /w==", "Basic", "bAsIc YWxpY2Vfbm9jb2xvbg" })
	void malformedCredentialsGet401NotA500(String authorization) throws Exception {
		RawHttp.Response response = get("/private/", authorization);
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.header("WWW-Authenticate")).isEqualTo(PRIVATE_CHALLENGE);
	}

	@Test
	void failedCredentialsAreLoggedAtDebugWithoutThePassword(CapturedOutput output) throws Exception {
		Logger logger = (Logger) LoggerFactory.getLogger(AuthPlugin.class);
		Level level = logger.getLevel();
		logger.setLevel(Level.DEBUG);
		try {
			get("/private/", "Basic YWxpY2U=");
			get("/private/", basic("alice", "wonderlant"));
		}
		finally {
			logger.setLevel(level);
		}
		assertThat(output).contains("DEBUG")
			.contains("site default: locations[0].auth: client 127.0.0.1: malformed Basic credentials: "
					+ "no ':' between user and password")
			.contains("wrong password for user alice")
			.doesNotContain("wonderlant");
	}

	@Test
	void anotherSchemeGets401WithTheBasicChallenge() throws Exception {
		RawHttp.Response response = get("/private/", "Bearer abc.def.ghi");
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.header("WWW-Authenticate")).isEqualTo(PRIVATE_CHALLENGE);
	}

	@Test
	void aValidUserOutsideTheRequireListGets403() throws Exception {
		RawHttp.Response response = get("/team/", basic("bob", "builder"));
		assertThat(response.status()).isEqualTo(403);
		assertThat(response.header("WWW-Authenticate")).isNull();
		assertThat(this.seen).isEmpty();
	}

	@Test
	void aUserOnTheRequireListGets200() throws Exception {
		assertThat(get("/team/", basic("zoë", "pässwörd")).text()).isEqualTo("team");
	}

	@Test
	void aPathOutsideTheProtectedLocationsNeedsNoCredentials() throws Exception {
		assertThat(get("/public.html", null).text()).isEqualTo("public");
	}

	@Test
	void theUserNameAndSchemeAreExchangeAttributesOnTheEventLoopForLaterStages() throws Exception {
		get("/private/", basic("alice", "wonderland"));
		get("/private/", basic("alice", "wonderland"));
		assertThat(this.seen).hasSize(2).allSatisfy((entry) -> {
			assertThat(entry).startsWith("alice Basic@");
			assertThat(entry).doesNotContain("capuchin-auth");
		});
	}

	@Test
	void aChallengedClientSendsCredentialsOnTheSameConnection() throws Exception {
		try (RawHttp http = this.kernel.connect()) {
			assertThat(http.exchange(request("/private/", null, false)).status()).isEqualTo(401);
			RawHttp.Response second = http.exchange(request("/private/", basic("bob", "builder"), false));
			assertThat(second.status()).isEqualTo(200);
			assertThat(second.text()).isEqualTo("secret");
		}
	}

	@Test
	void failuresBeyondTheLimitGet429WithRetryAfterUntilTheWindowEnds() throws Exception {
		for (int i = 0; i < 3; i++) {
			assertThat(get("/private/", basic("alice", "guess" + i)).status()).isEqualTo(401);
		}
		RawHttp.Response refused = get("/private/", basic("alice", "wonderland"));
		assertThat(refused.status()).isEqualTo(429);
		assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 2);
		assertThat(get("/public.html", null).status()).isEqualTo(200);
		// a refused request is not a failure, so asking again does not extend the window
		await().atMost(WINDOW.plusSeconds(5))
			.until(() -> get("/private/", basic("alice", "wonderland")).status(), (status) -> status != 429);
		assertThat(get("/private/", basic("alice", "wonderland")).status()).isEqualTo(200);
	}

	@Test
	void failuresCountPerClientAddress() throws Exception {
		for (int i = 0; i < 3; i++) {
			get("/private/", basic("alice", "guess" + i));
		}
		assertThat(get("/private/", basic("alice", "wonderland")).status()).isEqualTo(429);
		try (RawHttp other = RawHttp.connect(this.kernel.address(), new InetSocketAddress("127.0.0.2", 0))) {
			assertThat(other.exchange(request("/private/", basic("alice", "wonderland"), true)).status())
				.isEqualTo(200);
		}
	}

	@Test
	void requestsWithoutCredentialsAreNotCountedAsFailures() throws Exception {
		for (int i = 0; i < 5; i++) {
			assertThat(get("/private/", null).status()).isEqualTo(401);
		}
		assertThat(get("/private/", basic("bob", "builder")).status()).isEqualTo(200);
	}

	@Test
	void aChangedUsersFileIsReadForTheNextRequest() throws Exception {
		assertThat(get("/private/", basic("bob", "builder")).status()).isEqualTo(200);
		String rebuilt = new BCryptPasswordEncoder(4).encode("rebuilt");
		Files.writeString(this.users, UsersFileTests.HTPASSWD_ALICE + "\nbob:" + rebuilt + "\n");
		// the file is compared at most once a second: wait until the old password is
		// refused (one failure, below the limit)
		await().atMost(Duration.ofSeconds(5))
			.until(() -> get("/private/", basic("bob", "builder")).status(), (status) -> status == 401);
		assertThat(get("/private/", basic("bob", "rebuilt")).status()).isEqualTo(200);
		assertThat(get("/private/", basic("bob", "builder")).status()).isEqualTo(401);
	}

	@Test
	void verifiedCredentialsAreCachedUntilTheUsersFileChanges() throws Exception {
		BasicAuthMode basic = (BasicAuthMode) this.plugin.modes().get("basic");
		get("/private/", basic("bob", "builder"));
		get("/private/", basic("bob", "builder"));
		assertThat(basic.cachedCredentials()).isEqualTo(1);
		assertThat(get("/private/", basic("alice", "wonderland")).status()).isEqualTo(200);
		assertThat(basic.cachedCredentials()).isEqualTo(2);
		Files.writeString(this.users, UsersFileTests.SHA_BOB + "\n# changed\n");
		// the file is compared at most once a second; alice is served from the cache
		// until then, and refused once the change is read
		await().atMost(Duration.ofSeconds(5))
			.until(() -> get("/private/", basic("alice", "wonderland")).status(), (status) -> status == 401);
		assertThat(basic.cachedCredentials()).isZero();
		assertThat(get("/private/", basic("mallory", "x")).status()).isEqualTo(401);
		assertThat(basic.cachedCredentials()).isZero();
	}

	@Test
	void anInlineBcryptUserGets200AndAWrongPassword401() throws Exception {
		RawHttp.Response response = get("/inline/", basic("carol", "inline-pw"));
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.text()).isEqualTo("inline");
		assertThat(get("/inline/", basic("carol", "other-pw")).status()).isEqualTo(401);
		assertThat(get("/inline/", null).header("WWW-Authenticate"))
			.isEqualTo("Basic realm=\"Inline\", charset=\"UTF-8\"");
	}

	@Test
	void anInlineShaUserGets200() throws Exception {
		assertThat(get("/inline/", basic("bob", "builder")).status()).isEqualTo(200);
	}

	@Test
	void credentialsCachedForOneSetOfInlineUsersDoNotCountForAnotherInTheSameRealm() throws Exception {
		assertThat(get("/inline/", basic("carol", "inline-pw")).status()).isEqualTo(200);
		assertThat(get("/inline/", basic("carol", "inline-pw")).status()).isEqualTo(200);
		assertThat(get("/other-inline/", basic("carol", "inline-pw")).status()).isEqualTo(401);
		assertThat(get("/other-inline/", basic("carol", "other-pw")).status()).isEqualTo(200);
	}

	@Test
	void aChangedInlineHashInANewTableIsNotAcceptedFromTheCache() throws Exception {
		BasicAuthMode basic = (BasicAuthMode) this.plugin.modes().get("basic");
		assertThat(get("/inline/", basic("carol", "inline-pw")).status()).isEqualTo(200);
		assertThat(basic.cachedCredentials()).isEqualTo(1);
		installLocations(locations(new BCryptPasswordEncoder(4).encode("changed-pw")));
		assertThat(get("/inline/", basic("carol", "inline-pw")).status()).isEqualTo(401);
		assertThat(get("/inline/", basic("carol", "changed-pw")).status()).isEqualTo(200);
		installLocations(locations(this.carolHash));
		assertThat(get("/inline/", basic("carol", "inline-pw")).status()).isEqualTo(200);
	}

	@Test
	void anInlineUserWithAPlaintextPasswordRefusesTheTableNamingTheUserNotThePassword() {
		Map<String, Object> bad = Map.of("path", "/bad/", "auth", Map.of("users", Map.of("mallory", "letmein")));
		assertThatIllegalArgumentException().isThrownBy(() -> installLocations(List.of(bad)))
			.withMessage(
					"plugin auth: site default: locations[0].auth.users: user mallory: plaintext password or crypt(3) hash "
							+ "refused (expected: bcrypt $2y$, $2a$ or $2b$, or {SHA})");
		assertThat(this.kernel.server().sites().sites().get(0).locations()).hasSize(4);
	}

	private void installLocations(List<Map<String, Object>> locations) {
		Map<String, Object> keys = new LinkedHashMap<>();
		keys.put("name", "default");
		keys.put("server-names", List.of("localhost"));
		keys.put("default", true);
		keys.put("document-root", this.kernel.root().toString());
		keys.put("locations", locations);
		Site site = new SiteLoader(this.temp).parse(keys, "default");
		this.kernel.server().sites(SiteTable.of(List.of(site)));
	}

	private RawHttp.Response get(String path, String authorization) throws IOException {
		try (RawHttp http = this.kernel.connect()) {
			return http.exchange(request(path, authorization, true));
		}
	}

	private static String request(String path, String authorization, boolean close) {
		return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n"
				+ ((authorization != null) ? "Authorization: " + authorization + "\r\n" : "")
				+ (close ? "Connection: close\r\n" : "") + "\r\n";
	}

	static String basic(String user, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * A later REQUEST plugin that records the user attribute and the thread it ran on.
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
				AuthSocketTests.this.seen
					.add(user + " " + exchange.attribute(Exchange.AUTH_TYPE) + "@" + Thread.currentThread().getName());
			}
			return CONTINUE;
		}

	}

}
