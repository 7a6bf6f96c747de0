package dev.capuchin.app.identity;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.nimbusds.jwt.SignedJWT;
import dev.capuchin.app.CapuchinApplication;
import dev.capuchin.app.TestApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The public identity listener over real sockets: a second connector of the control plane
 * with TLS from a self-signed PEM certificate made here by {@code openssl}, where
 * discovery and the token endpoint answer with the configured issuer, while the console,
 * the API and Actuator answer 404 there and still answer on the control listener. A
 * listener without TLS, or with half a certificate, stops the start naming the key.
 */
class IdentityListenerTests {

	private static final String PASSWORD = "listener-admin-password";

	private static final String ADMIN = TestApplication.basic("admin:" + PASSWORD);

	private static final Path TEMP = TestApplication.temporaryDirectory("capuchin-listener-");

	private static ConfigurableApplicationContext application;

	private static Path certificate;

	private static Path privateKey;

	private static int publicPort;

	private static String issuer;

	private static HttpClient http;

	@BeforeAll
	static void start() throws Exception {
		certificate = TEMP.resolve("identity.crt");
		privateKey = TEMP.resolve("identity.key");
		selfSigned(certificate, privateKey);
		publicPort = freePort();
		issuer = "https://127.0.0.1:" + publicPort;
		application = run("--capuchin.identity.issuer=" + issuer, "--capuchin.identity.listener.port=" + publicPort,
				"--capuchin.identity.listener.address=127.0.0.1",
				"--capuchin.identity.listener.certificate=" + certificate,
				"--capuchin.identity.listener.private-key=" + privateKey);
		SslBundle trust = SslBundle
			.of(new PemSslStoreBundle(null, PemSslStoreDetails.forCertificate(certificate.toUri().toString())));
		http = HttpClient.newBuilder()
			.sslContext(trust.createSslContext())
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
	}

	@AfterAll
	static void stop() {
		if (application != null) {
			application.close();
		}
	}

	@Test
	void theListenerIsBoundWhereConfigured() {
		assertThat(application.getBean(IdentityListener.class).localPort()).isEqualTo(publicPort);
	}

	@Test
	@SuppressWarnings("unchecked")
	void discoveryOverTlsAnnouncesTheConfiguredIssuer() throws Exception {
		HttpResponse<String> response = get(publicUrl("/.well-known/openid-configuration"), null);
		assertThat(response.statusCode()).isEqualTo(200);
		Map<String, Object> metadata = JsonMapper.shared().readValue(response.body(), Map.class);
		assertThat(metadata).containsEntry("issuer", issuer)
			.containsEntry("token_endpoint", issuer + "/oauth2/token")
			.containsEntry("jwks_uri", issuer + "/oauth2/jwks");
	}

	@Test
	@SuppressWarnings("unchecked")
	void theTokenEndpointIssuesOverTlsATokenCarryingTheIssuer() throws Exception {
		String clientId = "listener-" + UUID.randomUUID();
		String secret = client(clientId);
		String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
		HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(publicUrl("/oauth2/token")))
			.header("Authorization", "Basic " + basic)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=read"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
		Map<String, Object> body = JsonMapper.shared().readValue(token.body(), Map.class);
		SignedJWT jwt = SignedJWT.parse((String) body.get("access_token"));
		assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo(issuer);
		assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo(clientId);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/console/", "/console/login", "/api/sites", "/api/status", "/actuator/health",
			"/actuator/prometheus", "/", "/error", "/login" })
	void privatePathsAnswer404OnThePublicListener(String path) throws Exception {
		HttpResponse<String> response = get(publicUrl(path), ADMIN);
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.body()).isEqualTo("Not Found\n");
	}

	@ParameterizedTest
	@ValueSource(strings = { "/identity/../console/", "/oauth2/..;/api/sites", "/identity/%2e%2e/api/status",
			"/oauth2/;x=y/../../actuator/health", "/identity/..%2fapi/status" })
	void dotSegmentsAndPathParametersDoNotReachPrivatePathsOnThePublicListener(String path) throws Exception {
		HttpResponse<String> response = get(publicUrl(path), ADMIN);
		assertThat(response.statusCode()).as(path).isIn(400, 404);
	}

	@Test
	void theConsoleTheApiAndActuatorStillAnswerOnTheControlListener() throws Exception {
		HttpResponse<String> console = get(controlUrl("/console/"), null);
		assertThat(console.statusCode()).isEqualTo(302);
		assertThat(console.headers().firstValue("location"))
			.hasValueSatisfying((location) -> assertThat(location).endsWith("/console/login"));
		assertThat(get(controlUrl("/api/sites"), ADMIN).statusCode()).isEqualTo(200);
		assertThat(get(controlUrl("/actuator/health"), null).statusCode()).isEqualTo(200);
	}

	@Test
	void theSignInPageAndItsStylesheetsAnswerOnThePublicListener() throws Exception {
		HttpResponse<String> page = get(publicUrl("/identity/sign-in"), null);
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("Sign in");
		assertThat(get(publicUrl("/console/css/console.css"), null).statusCode()).isEqualTo(200);
		assertThat(get(publicUrl("/console/img/capuchin.svg"), null).statusCode()).isEqualTo(200);
		assertThat(get(publicUrl("/webjars/bootstrap/dist/css/bootstrap.min.css"), null).statusCode()).isEqualTo(200);
		assertThat(get(publicUrl("/console/js/console.js"), null).statusCode()).isEqualTo(404);
	}

	@Test
	@SuppressWarnings("unchecked")
	void openIdClientRunsDiscoveryAndClientCredentialsAgainstThePublicListener() throws Exception {
		String clientId = "listener-node-" + UUID.randomUUID();
		String secret = client(clientId);
		Map<String, Object> seen = OpenIdClient.run("client-credentials", Map.of("ISSUER", issuer, "CLIENT_ID",
				clientId, "CLIENT_SECRET", secret, "NODE_EXTRA_CA_CERTS", certificate.toString()));
		assertThat(seen).containsEntry("issuer", issuer)
			.containsEntry("tokenEndpoint", issuer + "/oauth2/token")
			.containsEntry("sub", clientId);
		assertThat((Map<Object, Object>) seen.get("introspected")).containsEntry("active", true);
		assertThat((Map<Object, Object>) seen.get("afterRevocation")).containsEntry("active", false);
	}

	@Test
	void aListenerTakesItsCertificateFromAnSslBundle() throws Exception {
		int port = freePort();
		try (ConfigurableApplicationContext bundled = run(
				"--spring.ssl.bundle.pem.identity.keystore.certificate=" + certificate.toUri(),
				"--spring.ssl.bundle.pem.identity.keystore.private-key=" + privateKey.toUri(),
				"--capuchin.identity.listener.ssl-bundle=identity", "--capuchin.identity.listener.port=" + port,
				"--capuchin.identity.listener.address=127.0.0.1")) {
			assertThat(get("https://127.0.0.1:" + port + "/oauth2/jwks", null).statusCode()).isEqualTo(200);
			assertThat(get("https://127.0.0.1:" + port + "/api/status", ADMIN).statusCode()).isEqualTo(404);
		}
	}

	@Test
	@SuppressWarnings("unchecked")
	void anInsecureListenerSpeaksPlainHttpAndStillAnswersOnlyIdentityPaths() throws Exception {
		int port = freePort();
		try (ConfigurableApplicationContext insecure = run("--capuchin.identity.listener.port=" + port,
				"--capuchin.identity.listener.address=127.0.0.1", "--capuchin.identity.listener.insecure=true")) {
			String base = "http://127.0.0.1:" + port;
			HttpResponse<String> discovery = get(base + "/.well-known/openid-configuration", null);
			assertThat(discovery.statusCode()).isEqualTo(200);
			assertThat(JsonMapper.shared().readValue(discovery.body(), Map.class)).containsEntry("issuer", base);
			assertThat(get(base + "/actuator/health", null).statusCode()).isEqualTo(404);
		}
	}

	@Test
	void anUnknownSslBundleIsRefusedNamingTheKey() throws Exception {
		assertThatThrownBy(() -> run("--capuchin.identity.listener.port=" + freePort(),
				"--capuchin.identity.listener.ssl-bundle=missing")
			.close()).hasStackTraceContaining("capuchin.identity.listener.ssl-bundle: 'missing' (expected: one of");
	}

	@Test
	void aListenerWithoutTlsIsRefusedNamingTheKey() throws Exception {
		assertThatThrownBy(() -> run("--capuchin.identity.listener.port=" + freePort()).close()).rootCause()
			.hasMessageContaining("capuchin.identity.listener.ssl-bundle: not set")
			.hasMessageContaining("insecure: true");
	}

	@Test
	void aCertificateWithoutItsPrivateKeyIsRefusedNamingTheKey() throws Exception {
		assertThatThrownBy(() -> run("--capuchin.identity.listener.port=" + freePort(),
				"--capuchin.identity.listener.certificate=" + certificate)
			.close()).rootCause().hasMessageStartingWith("capuchin.identity.listener.private-key: not set");
	}

	@Test
	void aCertificateThatIsNotPemIsRefusedNamingTheKey() throws Exception {
		Path bad = TEMP.resolve("not-a-certificate.pem");
		Files.writeString(bad, "not a certificate\n");
		assertThatThrownBy(() -> run("--capuchin.identity.listener.port=" + freePort(),
				"--capuchin.identity.listener.certificate=" + bad,
				"--capuchin.identity.listener.private-key=" + privateKey)
			.close()).hasStackTraceContaining("capuchin.identity.listener.certificate: " + bad);
	}

	private static ConfigurableApplicationContext run(String... extra) throws IOException {
		Path root = Files.createDirectories(TEMP.resolve("root"));
		Files.writeString(root.resolve("index.html"), "default site");
		Path sites = TestApplication.defaultSite(TEMP.resolve(UUID.randomUUID().toString()), root, "");
		List<String> args = new ArrayList<>(List.of("--capuchin.sites-dir=" + sites,
				"--capuchin.server.listeners[0].address=127.0.0.1:0", "--capuchin.server.workers=1", "--server.port=0",
				"--CAPUCHIN_ADMIN_PASSWORD=" + PASSWORD, "--capuchin.store.poll-interval=0s",
				"--spring.datasource.url=jdbc:h2:mem:listener-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
				"--capuchin.identity.master-key-file=" + TEMP.resolve("master.key")));
		args.addAll(List.of(extra));
		return new SpringApplicationBuilder(CapuchinApplication.class).run(args.toArray(String[]::new));
	}

	/**
	 * A confidential client for client credentials in a realm of its own, made through
	 * the API on the control listener.
	 * @return its secret
	 */
	@SuppressWarnings("unchecked")
	private static String client(String clientId) throws Exception {
		if (get(controlUrl("/api/realms/Listener"), ADMIN).statusCode() == 404) {
			post(controlUrl("/api/realms"), Map.of("name", "Listener", "description", "public listener"));
		}
		HttpResponse<String> created = post(controlUrl("/api/oauth-clients"),
				Map.of("client-id", clientId, "type", "confidential", "realm", "Listener", "grant-types",
						List.of("client_credentials"), "scopes", List.of("read")));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		return (String) JsonMapper.shared().readValue(created.body(), Map.class).get("client-secret");
	}

	private static HttpResponse<String> post(String url, Map<String, Object> body) throws Exception {
		return http.send(HttpRequest.newBuilder(URI.create(url))
			.header("Authorization", ADMIN)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(JsonMapper.shared().writeValueAsString(body)))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static HttpResponse<String> get(String url, String authorization) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String publicUrl(String path) {
		return issuer + path;
	}

	private static String controlUrl(String path) {
		return "http://127.0.0.1:" + application.getEnvironment().getProperty("local.server.port") + path;
	}

	/**
	 * A self-signed certificate for 127.0.0.1 and its key, both PEM, made by
	 * {@code openssl}.
	 */
	private static void selfSigned(Path certificate, Path key) throws Exception {
		Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
				"-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout",
				key.toString(), "-out", certificate.toString())
			.redirectErrorStream(true)
			.redirectOutput(TEMP.resolve("openssl.log").toFile())
			.start();
		assertThat(openssl.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(openssl.exitValue()).as(Files.readString(TEMP.resolve("openssl.log"))).isZero();
	}

	/**
	 * A port free on loopback now, for a listener whose URL (the issuer) must be known
	 * before it starts.
	 */
	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
