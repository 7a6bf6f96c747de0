package dev.capuchin.plugin.auth;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.spi.Exchange;
import dev.capuchin.core.spi.Plugin;
import dev.capuchin.core.spi.RequestResult;
import dev.capuchin.core.spi.Stage;
import dev.capuchin.core.testing.EveryTransport;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;
import dev.capuchin.core.testing.TestCertificates;
import dev.capuchin.plugin.auth.internal.OpenIdRequests;
import dev.capuchin.plugin.auth.internal.SealedCookies;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code openid} mode in a running kernel, over real sockets, against a real OpenID
 * Connect provider ({@code oidc-provider} through Node), with a browser driven by hand:
 * the sign-in, the session, the rules, the identity headers, logout, and every forged or
 * replayed step refused.
 */
@EveryTransport
class OpenIdSocketTests {

	/** The session key of the tests' login: a test that holds it can forge cookies. */
	static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

	private static int kernelPort;

	private static OpenIdProvider provider;

	@TempDir
	Path temp;

	@Parameter
	Transport transport;

	private KernelFixture kernel;

	private final Browser browser = new Browser();

	private final List<Map<String, String>> seen = new CopyOnWriteArrayList<>();

	private String downIssuer;

	private TestIssuer rogue;

	@BeforeAll
	static void startProvider() throws Exception {
		// one provider for every test: the kernel listens on the port its client knows
		kernelPort = OpenIdProvider.freePort();
		provider = OpenIdProvider.start(callbackUrl());
	}

	@AfterAll
	static void stopProvider() throws Exception {
		if (provider != null) {
			provider.close();
		}
	}

	static String callbackUrl() {
		return "http://127.0.0.1:" + kernelPort + "/.capuchin/openid/callback";
	}

	static Map<String, Object> openid(String issuer, Map<String, Object> extra) {
		Map<String, Object> block = new LinkedHashMap<>();
		block.put("login", "corp");
		block.put("issuer", issuer);
		block.put("client-id", "capuchin");
		block.put("client-secret", "s3cret");
		block.put("scopes", List.of("openid", "email", "profile"));
		block.put("user-claim", "preferred_username");
		block.put("session-key", Base64.getEncoder().encodeToString(KEY));
		block.putAll(extra);
		return block;
	}

	@BeforeEach
	void start() throws Exception {
		this.downIssuer = "http://127.0.0.1:" + OpenIdProvider.freePort();
		this.rogue = TestIssuer.start();
		this.kernel = kernel(kernelPort, null);
	}

	/** A node serving the tests' site: on a port, over TLS with a certificate. */
	private KernelFixture kernel(int port, TestCertificates.Issued tls) throws IOException {
		String issuer = provider.url();
		List<Map<String, Object>> locations = List.of(
				location("/team/", openid(issuer, Map.of("require", Map.of("claims", Map.of("groups", "staff"))))),
				location("/mail/",
						openid(issuer, Map.of("require", Map.of("claims", Map.of("email-domain", "example.test"))))),
				location("/any/", openid(issuer, Map.of())),
				location("/pub/", openid(issuer, Map.of("login", "corp-public", "client-id", "capuchin-public"))),
				location("/down/", openid(this.downIssuer, Map.of("login", "down"))),
				location("/rogue/", openid(this.rogue.url(), Map.of("login", "rogue"))),
				location("/quiet/", openid(issuer, Map.of("forward", Map.of("headers", false)))),
				location("/token/",
						openid(issuer, Map.of("login", "corp-token", "forward", Map.of("access-token", true)))),
				location("/api/",
						openid(issuer, Map.of("bearer", true, "require", Map.of("claims", Map.of("groups", "staff"))))),
				location("/fresh/",
						openid(issuer,
								Map.of("login", "corp-refresh", "client-id", "capuchin-refresh", "scopes",
										List.of("openid", "email", "profile", "offline_access"), "parameters",
										Map.of("prompt", "consent"), "forward", Map.of("access-token", true)))),
				location("/scoped/", openid(issuer, Map.of("bearer", Map.of("scopes", List.of("admin"))))),
				location("/elsewhere/", openid(issuer, Map.of("bearer", Map.of("audience", "another-api")))),
				Map.of("path", "/rogue-api/", "auth", Map.of("bearer", Map.of("issuer", this.rogue.url()))));
		return KernelFixture.builder(this.temp.resolve("node-" + port))
			.transport(this.transport)
			.listenerAddress(new InetSocketAddress("127.0.0.1", port))
			.listener((listener) -> (tls != null) ? listener.withTls(tls.tls(), false) : listener)
			.plugin(new AuthPlugin(AuthSettings.defaults()))
			.plugin(new Recorder())
			.defaultSite(Map.of("locations", locations))
			.file("team/page.html", "team page")
			.file("mail/index.html", "mail")
			.file("any/index.html", "any")
			.file("pub/index.html", "pub")
			.file("down/index.html", "down")
			.file("rogue/index.html", "rogue")
			.file("quiet/index.html", "quiet")
			.file("token/index.html", "token")
			.file("api/data.json", "{\"data\":1}")
			.file("scoped/index.html", "scoped")
			.file("fresh/index.html", "fresh")
			.file("elsewhere/index.html", "elsewhere")
			.file("rogue-api/index.html", "rogue api")
			.file("public.html", "public")
			.start();
	}

	private static Map<String, Object> location(String path, Map<String, Object> openid) {
		Map<String, Object> block = new LinkedHashMap<>(openid);
		if ("corp-public".equals(block.get("login"))) {
			block.remove("client-secret");
		}
		return Map.of("path", path, "auth", Map.of("realm", "Team", "openid", block));
	}

	@AfterEach
	void stop() {
		if (this.kernel != null) {
			this.kernel.close();
		}
		if (this.rogue != null) {
			this.rogue.close();
		}
	}

	private String site() {
		return "http://127.0.0.1:" + kernelPort;
	}

	@Test
	void aBrowserWithoutASessionIsSentToTheProviderWithPkceStateAndNonce() throws Exception {
		HttpResponse<String> response = this.browser.get(site() + "/team/page.html?x=1");
		assertThat(response.statusCode()).isEqualTo(302);
		URI location = URI.create(response.headers().firstValue("Location").orElseThrow());
		assertThat(location.toString()).startsWith(provider.url() + "/auth?");
		Map<String, List<String>> query = new QueryStringDecoder(location).parameters();
		assertThat(query.get("response_type")).containsExactly("code");
		assertThat(query.get("client_id")).containsExactly("capuchin");
		assertThat(query.get("redirect_uri")).containsExactly(callbackUrl());
		assertThat(query.get("scope")).containsExactly("openid email profile");
		assertThat(query.get("code_challenge_method")).containsExactly("S256");
		assertThat(query.get("code_challenge").get(0)).hasSize(43);
		assertThat(query.get("state").get(0)).hasSize(43);
		assertThat(query.get("nonce").get(0)).hasSize(43).isNotEqualTo(query.get("state").get(0));
		assertThat(response.headers().allValues("Set-Cookie")).singleElement()
			.asString()
			.startsWith("capuchin-openid-pending-" + query.get("state").get(0).substring(0, 12) + "=")
			.contains("; Path=/.capuchin/openid/", "; SameSite=Lax", "; Max-Age=600")
			.containsIgnoringCase("; HttpOnly")
			.doesNotContain("Secure");
	}

	@Test
	void signingInBringsTheBrowserBackToTheUrlItAskedForWithItsQuery() throws Exception {
		Browser.Step end = this.browser.signIn(this.browser.get(site() + "/team/page.html?x=1&y=%C3%A9"), "alice",
				null);
		assertThat(end.response().statusCode()).isEqualTo(200);
		assertThat(end.response().uri().toString()).isEqualTo(site() + "/team/page.html?x=1&y=%C3%A9");
		assertThat(end.response().body()).isEqualTo("team page");
		assertThat(this.browser.cookie("capuchin-openid-corp")).isNotNull();
	}

	@Test
	void theSessionCookieIsHttpOnlyLaxAndForTheWholeSite() throws Exception {
		Browser.Step callback = this.browser.signIn(this.browser.get(site() + "/any/"), "alice", site() + "/any/");
		List<String> cookies = callback.response().headers().allValues("Set-Cookie");
		assertThat(cookies).anySatisfy((cookie) -> assertThat(cookie).startsWith("capuchin-openid-corp=")
			.contains("; Path=/", "; SameSite=Lax")
			.containsIgnoringCase("; HttpOnly")
			.doesNotContain("Secure"));
		assertThat(cookies)
			.anySatisfy((cookie) -> assertThat(cookie).startsWith("capuchin-openid-pending-").contains("Max-Age=0"));
		assertThat(callback.response().headers().firstValue("Location")).hasValue("/any/");
	}

	@Test
	void theIdentityReachesWhatIsBehindAndClientHeadersOfTheSameNameAreReplaced() throws Exception {
		this.browser.signIn(this.browser.get(site() + "/any/"), "alice", null);
		this.seen.clear();
		HttpResponse<String> response = this.browser.get(site() + "/any/", "X-Forwarded-User", "mallory",
				"X-Forwarded-Groups", "admins");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(this.seen).singleElement()
			.isEqualTo(Map.of("user", "alice", "type", "OpenID", "x-user", "alice", "x-email", "alice@example.test",
					"x-groups", "staff,readers"));
	}

	@Test
	void withForwardedHeadersOffNoneIsSetAndTheClientsAreStillRemoved() throws Exception {
		this.browser.signIn(this.browser.get(site() + "/any/"), "alice", null);
		this.seen.clear();
		HttpResponse<String> response = this.browser.get(site() + "/quiet/", "X-Forwarded-User", "mallory",
				"X-Forwarded-Access-Token", "forged");
		assertThat(response.body()).isEqualTo("quiet");
		assertThat(this.seen).singleElement().isEqualTo(Map.of("user", "alice", "type", "OpenID"));
	}

	@Test
	void theProvidersAccessTokenIsForwardedWhereTheLocationAsks() throws Exception {
		this.browser.signIn(this.browser.get(site() + "/token/"), "alice", null);
		this.seen.clear();
		assertThat(this.browser.get(site() + "/token/").body()).isEqualTo("token");
		assertThat(this.seen).singleElement().satisfies((entry) -> assertThat(entry.get("x-token")).isNotBlank());
	}

	@Test
	void aSpoofedForwardedUserIsRemovedOnUnprotectedPathsToo() throws Exception {
		try (RawHttp http = this.kernel.connect()) {
			RawHttp.Response response = http.exchange("GET /public.html HTTP/1.1\r\nHost: localhost\r\n"
					+ "X-Forwarded-User: mallory\r\nX-Forwarded-Email: m@example.test\r\nConnection: close\r\n\r\n");
			assertThat(response.status()).isEqualTo(200);
		}
		assertThat(this.seen).singleElement().isEqualTo(Map.of());
	}

	@Test
	void aUserWithoutTheRequiredGroupGets403NamingNothingSecret() throws Exception {
		Browser.Step end = this.browser.signIn(this.browser.get(site() + "/team/page.html"), "bob", null);
		assertThat(end.response().statusCode()).isEqualTo(403);
		assertThat(end.response().body()).doesNotContain("staff", "guests", "bob", "corp", "groups");
	}

	@Test
	void theEmailDomainRuleAdmitsItsDomainOnly() throws Exception {
		assertThat(this.browser.signIn(this.browser.get(site() + "/mail/"), "alice", null).response().body())
			.isEqualTo("mail");
		Browser bob = new Browser();
		assertThat(bob.signIn(bob.get(site() + "/mail/"), "bob", null).response().statusCode()).isEqualTo(403);
	}

	@Test
	void oneSignInServesEveryLocationOfTheLogin() throws Exception {
		this.browser.signIn(this.browser.get(site() + "/any/"), "alice", null);
		assertThat(this.browser.get(site() + "/team/page.html").body()).isEqualTo("team page");
		assertThat(this.browser.get(site() + "/mail/").body()).isEqualTo("mail");
	}

	@Test
	void aPublicClientSignsInWithPkceAlone() throws Exception {
		Browser.Step end = this.browser.signIn(this.browser.get(site() + "/pub/"), "bob", null);
		assertThat(end.response().statusCode()).isEqualTo(200);
		assertThat(end.response().body()).isEqualTo("pub");
	}

	@Test
	void requestsThatAreNotNavigationsGet401WithoutARedirect() throws Exception {
		for (String[] headers : List.of(new String[] { "Accept", "application/json" },
				new String[] { "X-Requested-With", "XMLHttpRequest" }, new String[] { "Sec-Fetch-Mode", "cors" })) {
			HttpResponse<String> response = this.browser.get(site() + "/any/", headers);
			assertThat(response.statusCode()).as(headers[0]).isEqualTo(401);
			assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("OpenID realm=\"Team\"");
			assertThat(response.headers().firstValue("Location")).isEmpty();
		}
		try (RawHttp http = this.kernel.connect()) {
			RawHttp.Response post = http.exchange(
					"POST /any/ HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n" + "Connection: close\r\n\r\n");
			assertThat(post.status()).isEqualTo(401);
		}
	}

	@Test
	void aCallbackWithAWrongStateIsRefused() throws Exception {
		Browser.Step callback = this.browser.signIn(this.browser.get(site() + "/any/"), "alice", callbackUrl());
		String forged = callback.next().replaceFirst("state=[^&]+", "state=" + "A".repeat(43));
		HttpResponse<String> response = this.browser.get(forged);
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(this.browser.cookie("capuchin-openid-corp")).isNull();
		assertThat(this.browser.get(this.callbackWithout(callback.next(), "state")).statusCode()).isEqualTo(401);
	}

	@Test
	void aCallbackInAnotherBrowserIsRefused() throws Exception {
		Browser.Step callback = this.browser.signIn(this.browser.get(site() + "/any/"), "alice", callbackUrl());
		Browser other = new Browser();
		assertThat(other.get(callback.next()).statusCode()).isEqualTo(401);
		assertThat(other.cookie("capuchin-openid-corp")).isNull();
	}

	@Test
	void aReusedCodeIsRefused() throws Exception {
		Browser.Step callback = this.browser.signIn(this.browser.get(site() + "/any/"), "alice", callbackUrl());
		String state = new QueryStringDecoder(callback.next()).parameters().get("state").get(0);
		String pending = this.browser.cookie(OpenIdRequests.pendingCookie(state));
		assertThat(this.browser.get(callback.next()).statusCode()).isEqualTo(302);
		// the same callback again, with the pending cookie an attacker kept
		try (RawHttp http = this.kernel.connect()) {
			URI uri = URI.create(callback.next());
			RawHttp.Response replay = http.exchange("GET " + uri.getRawPath() + "?" + uri.getRawQuery()
					+ " HTTP/1.1\r\nHost: 127.0.0.1:" + kernelPort + "\r\nCookie: "
					+ OpenIdRequests.pendingCookie(state) + "=" + pending + "\r\nConnection: close\r\n\r\n");
			assertThat(replay.status()).isEqualTo(401);
			assertThat(replay.headers().getOrDefault("set-cookie", List.of()))
				.noneMatch((cookie) -> cookie.startsWith("capuchin-openid-corp="));
		}
	}

	@Test
	void anIdTokenWithAnotherNonceIsRefused() throws Exception {
		HttpResponse<String> toProvider = this.browser.get(site() + "/any/");
		String forged = toProvider.headers()
			.firstValue("Location")
			.orElseThrow()
			.replaceFirst("nonce=[^&]+", "nonce=" + "B".repeat(43));
		Browser.Step callback = this.browser.signIn(this.browser.get(forged), "alice", callbackUrl());
		HttpResponse<String> response = this.browser.get(callback.next());
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(this.browser.cookie("capuchin-openid-corp")).isNull();
	}

	@Test
	void anIdTokenForAnotherAudienceIsRefused() throws Exception {
		assertThat(this.browser.follow(this.browser.get(site() + "/rogue/"), null).response().body())
			.as("the same provider's token for this client")
			.isEqualTo("rogue");
		this.rogue.idTokenClaims((claims) -> claims.audience("another-client"));
		Browser other = new Browser();
		Browser.Step end = other.follow(other.get(site() + "/rogue/"), null);
		assertThat(end.response().statusCode()).isEqualTo(401);
		assertThat(other.cookie("capuchin-openid-rogue")).isNull();
	}

	@Test
	void anIdTokenFromAnotherIssuerOrExpiredIsRefused() throws Exception {
		this.rogue.idTokenClaims((claims) -> claims.issuer(provider.url()));
		assertThat(this.browser.follow(this.browser.get(site() + "/rogue/"), null).response().statusCode())
			.isEqualTo(401);
		Instant past = Instant.now().minusSeconds(600);
		this.rogue.idTokenClaims(
				(claims) -> claims.issueTime(Date.from(past.minusSeconds(60))).expirationTime(Date.from(past)));
		Browser other = new Browser();
		assertThat(other.follow(other.get(site() + "/rogue/"), null).response().statusCode()).isEqualTo(401);
	}

	@Test
	void aTamperedSessionCookieIsNotASession() throws Exception {
		this.browser.signIn(this.browser.get(site() + "/any/"), "alice", null);
		String session = this.browser.cookie("capuchin-openid-corp");
		char last = session.charAt(session.length() - 2);
		String tampered = session.substring(0, session.length() - 2) + ((last == 'A') ? 'B' : 'A')
				+ session.charAt(session.length() - 1);
		assertThat(rawGet("/any/", "capuchin-openid-corp=" + tampered).status()).isEqualTo(302);
		assertThat(rawGet("/any/", "capuchin-openid-corp=" + session).status()).isEqualTo(200);
	}

	@Test
	void anExpiredOrIdleSessionIsNotASession() throws Exception {
		Instant now = Instant.now();
		String good = forgedSession(now.minusSeconds(60), now.minusSeconds(30), now.plusSeconds(3600));
		String expired = forgedSession(now.minusSeconds(7200), now.minusSeconds(30), now.minusSeconds(1));
		String idle = forgedSession(now.minusSeconds(7200), now.minusSeconds(31 * 60), now.plusSeconds(3600));
		String absolute = forgedSession(now.minusSeconds(13 * 3600), now.minusSeconds(30), now.plusSeconds(3600));
		assertThat(rawGet("/any/", "capuchin-openid-corp=" + good).status()).isEqualTo(200);
		assertThat(rawGet("/any/", "capuchin-openid-corp=" + expired).status()).isEqualTo(302);
		assertThat(rawGet("/any/", "capuchin-openid-corp=" + idle).status()).isEqualTo(302);
		assertThat(rawGet("/any/", "capuchin-openid-corp=" + absolute).status()).isEqualTo(302);
	}

	@Test
	void aSessionSeenAfterAMinuteIsWrittenAgain() throws Exception {
		Instant now = Instant.now();
		String stale = forgedSession(now.minusSeconds(600), now.minusSeconds(120), now.plusSeconds(3600));
		RawHttp.Response response = rawGet("/any/", "capuchin-openid-corp=" + stale);
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.headers().get("set-cookie")).singleElement().asString().startsWith("capuchin-openid-corp=");
		String fresh = forgedSession(now.minusSeconds(600), now.minusSeconds(5), now.plusSeconds(3600));
		assertThat(rawGet("/any/", "capuchin-openid-corp=" + fresh).headers()).doesNotContainKey("set-cookie");
	}

	@ParameterizedTest
	@ValueSource(strings = { "//evil.example/", "https://evil.example/", "/\\evil.example/", "/\t/evil.example/", "" })
	void theBrowserIsOnlyEverSentBackToAPathOfTheSameSite(String target) throws Exception {
		HttpResponse<String> toProvider = this.browser.get(site() + "/any/");
		String state = new QueryStringDecoder(URI.create(toProvider.headers().firstValue("Location").orElseThrow()))
			.parameters()
			.get("state")
			.get(0);
		String name = OpenIdRequests.pendingCookie(state);
		JWTClaimsSet pending = SealedCookies.open(this.browser.cookie(name), KEY, SealedCookies.PENDING, Instant.now());
		Browser.Step callback = this.browser.signIn(toProvider, "alice", callbackUrl());
		URI uri = URI.create(callback.next());
		// the pending cookie re-sealed with another return URL, as only a holder of the
		// key could
		String forged = SealedCookies.seal("corp", KEY, new JWTClaimsSet.Builder(pending).claim("url", target).build());
		try (RawHttp http = this.kernel.connect()) {
			RawHttp.Response response = http
				.exchange("GET " + uri.getRawPath() + "?" + uri.getRawQuery() + " HTTP/1.1\r\nHost: 127.0.0.1:"
						+ kernelPort + "\r\nCookie: " + name + "=" + forged + "\r\nConnection: close\r\n\r\n");
			assertThat(response.status()).isEqualTo(302);
			assertThat(response.header("Location")).isEqualTo("/");
		}
	}

	@Test
	void aRequestTargetThatIsNotALocalPathComesBackToTheRoot() throws Exception {
		try (RawHttp http = this.kernel.connect()) {
			RawHttp.Response response = http
				.exchange("GET http://evil.example/any/?x=1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
			assertThat(response.status()).isEqualTo(302);
			String cookie = response.header("Set-Cookie");
			String value = cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
			JWTClaimsSet pending = SealedCookies.open(value, KEY, SealedCookies.PENDING, Instant.now());
			assertThat(pending.getStringClaim("url")).isEqualTo("/");
		}
	}

	@Test
	void aProviderThatIsDownGets503AndOtherLocationsCarryOn() throws Exception {
		HttpResponse<String> response = this.browser.get(site() + "/down/");
		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
		assertThat(response.body()).doesNotContain(this.downIssuer);
		assertThat(this.browser.get(site() + "/public.html").body()).isEqualTo("public");
		assertThat(this.browser.get(site() + "/any/").statusCode()).isEqualTo(302);
	}

	@Test
	void logoutEndsTheSessionAndSendsTheBrowserToTheProvidersEndSession() throws Exception {
		this.browser.signIn(this.browser.get(site() + "/any/"), "alice", null);
		HttpResponse<String> logout = this.browser.get(site() + "/.capuchin/openid/logout");
		assertThat(logout.statusCode()).isEqualTo(302);
		assertThat(logout.headers().firstValue("Location"))
			.hasValue(provider.url() + "/session/end?client_id=capuchin");
		assertThat(logout.headers().allValues("Set-Cookie"))
			.anySatisfy((cookie) -> assertThat(cookie).startsWith("capuchin-openid-corp=;").contains("Max-Age=0"));
		assertThat(this.browser.cookie("capuchin-openid-corp")).isNull();
		assertThat(this.browser.get(site() + "/any/").statusCode()).isEqualTo(302);
	}

	@Test
	void aSessionStartedOnOneNodeIsAcceptedByAnother() throws Exception {
		this.browser.signIn(this.browser.get(site() + "/team/page.html"), "alice", null);
		String session = this.browser.cookie("capuchin-openid-corp");
		try (KernelFixture other = kernel(0, null); RawHttp http = other.connect()) {
			RawHttp.Response response = http.exchange("GET /team/page.html HTTP/1.1\r\nHost: localhost\r\n"
					+ "Cookie: capuchin-openid-corp=" + session + "\r\nConnection: close\r\n\r\n");
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.text()).isEqualTo("team page");
		}
	}

	@Test
	void overTlsTheCookiesAreSecureAndTheCallbackHttps() throws Exception {
		TestCertificates.Issued certificate = TestCertificates.issue(this.temp.resolve("certificates"), "localhost",
				"127.0.0.1");
		SSLContext client = TestCertificates.trusting(List.of(certificate.certificate()));
		Instant now = Instant.now();
		String stale = forgedSession(now.minusSeconds(600), now.minusSeconds(120), now.plusSeconds(3600));
		try (KernelFixture tls = kernel(0, certificate)) {
			RawHttp.Response toProvider = overTls(client, tls,
					"GET /any/ HTTP/1.1\r\nHost: localhost:" + tls.port() + "\r\nConnection: close\r\n\r\n");
			assertThat(toProvider.status()).isEqualTo(302);
			assertThat(new QueryStringDecoder(toProvider.header("Location")).parameters().get("redirect_uri"))
				.containsExactly("https://localhost:" + tls.port() + "/.capuchin/openid/callback");
			assertThat(toProvider.header("Set-Cookie")).contains("; Secure");
			RawHttp.Response refreshed = overTls(client, tls, "GET /any/ HTTP/1.1\r\nHost: localhost\r\n"
					+ "Cookie: capuchin-openid-corp=" + stale + "\r\nConnection: close\r\n\r\n");
			assertThat(refreshed.status()).isEqualTo(200);
			assertThat(refreshed.header("Set-Cookie")).startsWith("capuchin-openid-corp=").contains("; Secure");
		}
	}

	private static RawHttp.Response overTls(SSLContext client, KernelFixture kernel, String request)
			throws IOException {
		try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", kernel.port());
				RawHttp http = RawHttp.over(socket)) {
			socket.startHandshake();
			return http.exchange(request);
		}
	}

	@Test
	void aBearerTokenOfTheProviderIsAcceptedWhereTheLocationTakesThem() throws Exception {
		String token = accessToken("alice");
		this.seen.clear();
		RawHttp.Response response = rawGetWith("/api/data.json", "Authorization: Bearer " + token,
				"X-Forwarded-User: mallory");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.text()).isEqualTo("{\"data\":1}");
		assertThat(this.seen).singleElement()
			.satisfies((entry) -> assertThat(entry).containsEntry("user", "alice")
				.containsEntry("x-user", "alice")
				.containsEntry("x-email", "alice@example.test")
				.containsEntry("x-groups", "staff,readers"));
	}

	@Test
	void aBearerTokenIsCheckedAgainstTheLocationsClaimRules() throws Exception {
		String token = accessToken("bob");
		RawHttp.Response response = rawGetWith("/api/data.json", "Authorization: Bearer " + token);
		assertThat(response.status()).isEqualTo(403);
		assertThat(response.text()).doesNotContain("staff", "guests", "bob");
	}

	@Test
	void aBearerTokenMustBeForTheClientIdOrTheConfiguredAudienceAndCarryTheScopes() throws Exception {
		String token = accessToken("alice");
		RawHttp.Response audience = rawGetWith("/elsewhere/", "Authorization: Bearer " + token);
		assertThat(audience.status()).isEqualTo(401);
		assertThat(audience.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
		RawHttp.Response scope = rawGetWith("/scoped/", "Authorization: Bearer " + token);
		assertThat(scope.status()).isEqualTo(403);
		assertThat(scope.header("WWW-Authenticate")).contains("error=\"insufficient_scope\"");
	}

	@Test
	void aForgedBearerTokenGets401WithTheBearerChallenge() throws Exception {
		String forged = this.rogue.token((claims) -> claims.issuer(provider.url()).audience("capuchin"));
		RawHttp.Response response = rawGetWith("/api/data.json", "Authorization: Bearer " + forged);
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.header("WWW-Authenticate")).startsWith("Bearer realm=\"Team\"")
			.contains("error=\"invalid_token\"");
	}

	@Test
	void aLocationThatTakesNoBearerTokensIgnoresThem() throws Exception {
		String token = accessToken("alice");
		RawHttp.Response response = rawGetWith("/any/", "Authorization: Bearer " + token, "Accept: application/json");
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.header("WWW-Authenticate")).isEqualTo("OpenID realm=\"Team\"");
	}

	@Test
	void aScriptWithoutTokenOrSessionIsToldBothSchemes() throws Exception {
		RawHttp.Response response = rawGetWith("/api/data.json", "Accept: application/json");
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.header("WWW-Authenticate")).isEqualTo("OpenID realm=\"Team\", Bearer realm=\"Team\"");
	}

	@Test
	void aBrowserSessionStillWorksWhereBearerTokensAreTaken() throws Exception {
		Browser.Step end = this.browser.signIn(this.browser.get(site() + "/api/data.json"), "alice", null);
		assertThat(end.response().body()).isEqualTo("{\"data\":1}");
	}

	@Test
	void aProviderUsedForSignInsAndBearerTokensIsFetchedOnce() throws Exception {
		assertThat(this.browser.follow(this.browser.get(site() + "/rogue/"), null).response().body())
			.isEqualTo("rogue");
		RawHttp.Response response = rawGetWith("/rogue-api/", "Authorization: Bearer " + this.rogue.token((claims) -> {
		}));
		assertThat(response.status()).isEqualTo(200);
		assertThat(this.rogue.jwksFetches()).isEqualTo(1);
	}

	/**
	 * The provider's access token for a user, as the {@code /token/} location forwards
	 * it.
	 */
	private String accessToken(String user) throws Exception {
		Browser browser = new Browser();
		this.seen.clear();
		Browser.Step end = browser.signIn(browser.get(site() + "/token/"), user, null);
		assertThat(end.response().body()).isEqualTo("token");
		String token = this.seen.get(this.seen.size() - 1).get("x-token");
		assertThat(token).as("forwarded access token").isNotBlank();
		return token;
	}

	private RawHttp.Response rawGetWith(String path, String... headers) throws IOException {
		try (RawHttp http = this.kernel.connect()) {
			StringBuilder request = new StringBuilder(
					"GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + kernelPort + "\r\n");
			for (String header : headers) {
				request.append(header).append("\r\n");
			}
			return http.exchange(request.append("Connection: close\r\n\r\n").toString());
		}
	}

	@Test
	void theProvidersBackChannelLogoutEndsTheSessionItNames() throws Exception {
		this.browser.signIn(this.browser.get(site() + "/any/"), "alice", null);
		String alice = this.browser.cookie("capuchin-openid-corp");
		Browser other = new Browser();
		other.signIn(other.get(site() + "/any/"), "bob", null);
		String bob = other.cookie("capuchin-openid-corp");
		assertThat(rawGet("/any/", "capuchin-openid-corp=" + alice).status()).isEqualTo(200);
		// alice signs out at the provider, which tells the site over the back channel
		HttpResponse<String> confirm = this.browser.get(provider.url() + "/session/end?client_id=capuchin");
		Matcher xsrf = Pattern.compile("name=\"xsrf\" value=\"([^\"]+)\"").matcher(confirm.body());
		assertThat(xsrf.find()).as("the provider's logout form").isTrue();
		HttpResponse<String> done = this.browser.post(URI.create(provider.url() + "/session/end/confirm"),
				"xsrf=" + xsrf.group(1) + "&logout=yes");
		assertThat(done.statusCode()).isEqualTo(303);
		assertThat(rawGet("/any/", "capuchin-openid-corp=" + alice).status()).isEqualTo(302);
		try (RawHttp http = this.kernel.connect()) {
			RawHttp.Response script = http.exchange("GET /any/ HTTP/1.1\r\nHost: localhost\r\nAccept: application/json"
					+ "\r\nCookie: capuchin-openid-corp=" + alice + "\r\nConnection: close\r\n\r\n");
			assertThat(script.status()).isEqualTo(401);
		}
		assertThat(rawGet("/any/", "capuchin-openid-corp=" + bob).status()).isEqualTo(200);
	}

	@Test
	void aLogoutTokenWithoutSidEndsTheSubjectsSessionsStartedBeforeIt() throws Exception {
		assertThat(this.browser.follow(this.browser.get(site() + "/rogue/"), null).response().body())
			.isEqualTo("rogue");
		String session = this.browser.cookie("capuchin-openid-rogue");
		assertThat(postLogout(logoutToken((claims) -> {
		})).status()).isEqualTo(200);
		assertThat(rawGet("/rogue/", "capuchin-openid-rogue=" + session).status()).isEqualTo(302);
		Instant later = Instant.now().plusSeconds(5);
		String after = SealedCookies.seal("rogue", KEY,
				new JWTClaimsSet.Builder().claim("use", SealedCookies.SESSION)
					.claim("lgn", "rogue")
					.subject("alice")
					.claim("ps", "alice")
					.issueTime(Date.from(later))
					.claim("lst", later.getEpochSecond())
					.expirationTime(Date.from(later.plusSeconds(3600)))
					.claim("clm", Map.of())
					.build());
		assertThat(rawGet("/rogue/", "capuchin-openid-rogue=" + after).status()).as("a sign-in after the logout")
			.isEqualTo(200);
	}

	@Test
	void aReplayedLogoutTokenIsRefused() throws Exception {
		String token = logoutToken((claims) -> claims.claim("sid", "s-1"));
		assertThat(postLogout(token).status()).isEqualTo(200);
		RawHttp.Response replay = postLogout(token);
		assertThat(replay.status()).isEqualTo(400);
		assertThat(replay.text()).isEqualTo("{\"error\":\"invalid_request\"}");
		assertThat(replay.header("Cache-Control")).isEqualTo("no-store");
	}

	@ParameterizedTest
	@ValueSource(strings = { "nonce", "no-event", "no-sid-or-sub", "audience", "old", "issuer", "no-jti" })
	void anInvalidLogoutTokenIsRefusedWith400(String fault) throws Exception {
		String token = logoutToken((claims) -> {
			switch (fault) {
				case "nonce" -> claims.claim("nonce", "n");
				case "no-event" -> claims.claim("events", Map.of("http://example.test/other", Map.of()));
				case "no-sid-or-sub" -> claims.subject(null);
				case "audience" -> claims.audience("another-client");
				case "old" -> claims.issueTime(Date.from(Instant.now().minusSeconds(3600)));
				case "issuer" -> claims.issuer(provider.url());
				default -> claims.jwtID(null);
			}
		});
		assertThat(postLogout(token).status()).isEqualTo(400);
	}

	@Test
	void theBackChannelPathTakesOnlyAPostedForm() throws Exception {
		try (RawHttp http = this.kernel.connect()) {
			RawHttp.Response get = http.exchange("GET " + OpenIdRequests.BACKCHANNEL_LOGOUT
					+ " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
			assertThat(get.status()).isEqualTo(405);
			assertThat(get.header("Allow")).isEqualTo("POST");
		}
		try (RawHttp http = this.kernel.connect()) {
			String body = "{\"logout_token\":\"x\"}";
			RawHttp.Response json = http.exchange("POST " + OpenIdRequests.BACKCHANNEL_LOGOUT
					+ " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
					+ body.length() + "\r\nConnection: close\r\n\r\n" + body);
			assertThat(json.status()).isEqualTo(400);
		}
		assertThat(postLogout("not-a-jwt").status()).isEqualTo(400);
	}

	/** A logout token from the rogue issuer for the client capuchin, naming alice. */
	private String logoutToken(java.util.function.Consumer<JWTClaimsSet.Builder> customizer) throws Exception {
		return this.rogue.token((claims) -> {
			claims.audience("capuchin")
				.claim("scope", null)
				.claim("email", null)
				.expirationTime(null)
				.jwtID(OpenIdRequests.random())
				.claim("events", Map.of("http://schemas.openid.net/event/backchannel-logout", Map.of()));
			customizer.accept(claims);
		});
	}

	private RawHttp.Response postLogout(String token) throws IOException {
		String body = "logout_token=" + token;
		try (RawHttp http = this.kernel.connect()) {
			return http.exchange("POST " + OpenIdRequests.BACKCHANNEL_LOGOUT + " HTTP/1.1\r\nHost: 127.0.0.1:"
					+ kernelPort + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "
					+ body.length() + "\r\nConnection: close\r\n\r\n" + body);
		}
	}

	@Test
	void anExpiredAccessTokenIsRefreshedWithTheRefreshTokenAndTheCookieWrittenAgain() throws Exception {
		Browser.Step end = this.browser.signIn(this.browser.get(site() + "/fresh/"), "alice", null);
		assertThat(end.response().body()).isEqualTo("fresh");
		String first = this.seen.get(this.seen.size() - 1).get("x-token");
		String cookie = this.browser.cookie("capuchin-openid-corp-refresh");
		JWTClaimsSet sealed = SealedCookies.open(cookie, KEY, SealedCookies.SESSION, Instant.now());
		assertThat(sealed.getStringClaim("rt")).as("the refresh token, sealed").isNotBlank();
		// the provider's access tokens for this client last 8 seconds
		Awaitility.await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500)).until(() -> {
			this.seen.clear();
			HttpResponse<String> response = this.browser.get(site() + "/fresh/");
			return response.statusCode() == 200 && !first.equals(this.seen.get(0).get("x-token"));
		});
		assertThat(this.browser.cookie("capuchin-openid-corp-refresh")).isNotEqualTo(cookie);
		assertThat(this.seen.get(0)).containsEntry("user", "alice");
	}

	@Test
	void aRefusedRefreshEndsTheSession() throws Exception {
		Instant now = Instant.now();
		String session = SealedCookies.seal("corp-refresh", KEY,
				new JWTClaimsSet.Builder().claim("use", SealedCookies.SESSION)
					.claim("lgn", "corp-refresh")
					.subject("alice")
					.issueTime(Date.from(now.minusSeconds(60)))
					.claim("lst", now.minusSeconds(30).getEpochSecond())
					.expirationTime(Date.from(now.plusSeconds(3600)))
					.claim("clm", Map.of())
					.claim("at", "expired-access-token")
					.claim("ate", now.minusSeconds(10).getEpochSecond())
					.claim("rt", "a-refresh-token-the-provider-never-issued")
					.build());
		RawHttp.Response navigation = rawGet("/fresh/", "capuchin-openid-corp-refresh=" + session);
		assertThat(navigation.status()).isEqualTo(302);
		assertThat(navigation.header("Location")).startsWith(provider.url() + "/auth?");
		assertThat(navigation.headers().get("set-cookie")).anySatisfy(
				(cookie) -> assertThat(cookie).startsWith("capuchin-openid-corp-refresh=;").contains("Max-Age=0"));
		RawHttp.Response script = rawGetWith("/fresh/", "Cookie: capuchin-openid-corp-refresh=" + session,
				"Accept: application/json");
		assertThat(script.status()).isEqualTo(401);
	}

	@Test
	void aPathOutsideTheProtectedLocationsNeedsNoSession() throws Exception {
		assertThat(this.browser.get(site() + "/public.html").body()).isEqualTo("public");
	}

	private String forgedSession(Instant issued, Instant lastSeen, Instant expires) {
		JWTClaimsSet claims = new JWTClaimsSet.Builder().claim("use", SealedCookies.SESSION)
			.claim("lgn", "corp")
			.subject("alice")
			.issueTime(Date.from(issued))
			.claim("lst", lastSeen.getEpochSecond())
			.expirationTime(Date.from(expires))
			.claim("clm", Map.of("email", "alice@example.test", "groups", List.of("staff")))
			.build();
		return SealedCookies.seal("corp", KEY, claims);
	}

	private String callbackWithout(String url, String parameter) {
		return url.replaceFirst("([?&])" + parameter + "=[^&]*&?", "$1");
	}

	private RawHttp.Response rawGet(String path, String cookie) throws IOException {
		try (RawHttp http = this.kernel.connect()) {
			return http.exchange("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + kernelPort + "\r\nCookie: " + cookie
					+ "\r\nConnection: close\r\n\r\n");
		}
	}

	/**
	 * A later REQUEST plugin that records the identity it is handed.
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
			Map<String, String> entry = new LinkedHashMap<>();
			put(entry, "user", exchange.attribute(Exchange.USER));
			put(entry, "type", exchange.attribute(Exchange.AUTH_TYPE));
			put(entry, "x-user", exchange.request().requestHeaders().get("X-Forwarded-User"));
			put(entry, "x-email", exchange.request().requestHeaders().get("X-Forwarded-Email"));
			put(entry, "x-groups", exchange.request().requestHeaders().get("X-Forwarded-Groups"));
			put(entry, "x-token", exchange.request().requestHeaders().get("X-Forwarded-Access-Token"));
			OpenIdSocketTests.this.seen.add(entry);
			return CONTINUE;
		}

		private static void put(Map<String, String> entry, String key, String value) {
			if (value != null) {
				entry.put(key, value);
			}
		}

	}

}
