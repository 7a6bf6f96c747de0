package dev.capuchin.app.certificates;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;

import dev.capuchin.app.TestApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node orders a certificate for an ACME site from a real Pebble by HTTP-01 and serves
 * it over HTTPS at once, without a restart.
 */
@EnabledIf("dev.capuchin.app.certificates.AcmeIssuanceTests#pebbleInstalled")
class AcmeIssuanceTests {

	@TempDir
	static Path temp;

	private static Pebble pebble;

	private static ConfigurableApplicationContext node;

	private static int httpPort;

	@BeforeAll
	static void startPebbleAndANode() throws Exception {
		httpPort = Pebble.freePort();
		pebble = Pebble.create(temp, httpPort, Duration.ofDays(90));
		pebble.start();
		node = AcmeTestSupport.start(temp, pebble, httpPort);
	}

	@AfterAll
	static void stopThem() {
		if (node != null) {
			node.close();
		}
		if (pebble != null) {
			pebble.close();
		}
	}

	static boolean pebbleInstalled() {
		return List.of(System.getenv("PATH").split(":"))
			.stream()
			.anyMatch((dir) -> Path.of(dir, "pebble").toFile().canExecute()
					&& Path.of(dir, "pebble-challtestsrv").toFile().canExecute());
	}

	@Test
	void anAcmeSiteIsServedOverHttpsWithTheCertificateTheCaIssued() {
		SSLContext trustingPebble = Pebble.trusting(List.of(pebble.root()));
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(250))
			.ignoreExceptions()
			.untilAsserted(() -> assertThat(
					AcmeTestSupport.https(AcmeTestSupport.tlsPort(node), AcmeTestSupport.SHOP, trustingPebble))
				.startsWith("HTTP/1.1 200")
				.endsWith("shop"));
	}

	@Test
	void theIssuedPrivateKeyIsStoredEncrypted() {
		JdbcTemplate store = node.getBean(JdbcTemplate.class);
		await().atMost(Duration.ofSeconds(60))
			.until(() -> store
				.queryForList("select private_key_encrypted from certificate where name = 'shop' "
						+ "and private_key_encrypted is not null", String.class)
				.size() == 1);
		Map<String, Object> row = store.queryForMap("select * from certificate where name = 'shop'");
		assertThat(row.get("PRIVATE_KEY_ENCRYPTED").toString()).doesNotContain("PRIVATE KEY");
		assertThat(row.get("CERTIFICATE_CHAIN").toString()).startsWith("-----BEGIN CERTIFICATE-----");
		assertThat(store.queryForObject("select key_pair_encrypted from acme_account", String.class))
			.doesNotContain("PRIVATE KEY");
	}

	@Test
	void aChallengeTokenInTheStoreIsAnsweredOnPlainHttp() throws Exception {
		node.getBean(CertificateStore.class)
			.putChallenge("token-from-another-node", "token-from-another-node.thumbprint",
					java.time.Instant.now().plusSeconds(60));
		TestApplication.DataPlaneResponse answer = TestApplication.get(httpPort, AcmeTestSupport.SHOP,
				"/.well-known/acme-challenge/token-from-another-node");
		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.body()).isEqualTo("token-from-another-node.thumbprint");
	}

	@Test
	void aSecondNodeOnTheSameStoreServesTheSameCertificateWithoutOrderingOne() throws Exception {
		SSLContext trustingPebble = Pebble.trusting(List.of(pebble.root()));
		JdbcTemplate store = node.getBean(JdbcTemplate.class);
		await().atMost(Duration.ofSeconds(60))
			.until(() -> store
				.queryForList("select serial from certificate where name = 'shop' and serial is not null", String.class)
				.size() == 1);
		String serial = store.queryForObject("select serial from certificate where name = 'shop'", String.class);
		try (ConfigurableApplicationContext second = AcmeTestSupport.start(temp.resolve("second"), pebble,
				Pebble.freePort(),
				"--spring.datasource.url=jdbc:h2:file:" + temp.resolve("store/capuchin") + ";AUTO_SERVER=TRUE",
				"--capuchin.identity.master-key-file=" + temp.resolve("master.key"))) {
			await().atMost(Duration.ofSeconds(30))
				.ignoreExceptions()
				.untilAsserted(() -> assertThat(AcmeTestSupport.servedSerial(AcmeTestSupport.tlsPort(second),
						AcmeTestSupport.SHOP, trustingPebble))
					.isEqualTo(serial));
		}
		assertThat(store.queryForObject(
				"select count(*) from audit_log where action = 'issued' and target = 'certificate shop'",
				Integer.class))
			.isEqualTo(1);
	}

	@Test
	void theApiListsTheAcmeCertificateWithItsNamesIssuerExpiryAndSource() throws Exception {
		JdbcTemplate store = node.getBean(JdbcTemplate.class);
		await().atMost(Duration.ofSeconds(60))
			.until(() -> store
				.queryForList("select serial from certificate where name = 'shop' and serial is not null", String.class)
				.size() == 1);
		String port = node.getEnvironment().getProperty("local.server.port");
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/certificates"))
				.header("Authorization", TestApplication.basic("admin:acme-tests-password"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"site\":\"shop\"", "\"names\":[\"shop.example.com\"]",
				"\"source\":\"acme\"", "\"issuer\":\"CN=Pebble Intermediate CA", "\"not-after\":\"",
				"\"next-renewal\":\"", "\"last-error\":null");
	}

	@Test
	void anUnknownChallengeTokenIs404() throws Exception {
		assertThat(TestApplication.get(httpPort, AcmeTestSupport.SHOP, "/.well-known/acme-challenge/unknown-token")
			.status()).isEqualTo(404);
	}

}
