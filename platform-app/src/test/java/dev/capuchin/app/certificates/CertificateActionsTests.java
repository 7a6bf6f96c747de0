package dev.capuchin.app.certificates;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;

import dev.capuchin.app.TestApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The certificate actions of {@code /api/certificates} against a real Pebble: renew now,
 * revocation, an uploaded PEM pair served over TLS, refused uploads, and the ACME
 * account's email and key rollover.
 */
@EnabledIf("dev.capuchin.app.certificates.AcmeIssuanceTests#pebbleInstalled")
class CertificateActionsTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	@RegisterExtension
	static final AcmeTestSupport acme = AcmeTestSupport.pebbleAndANode();

	@Test
	void renewNowServesACertificateWithANewSerial() throws Exception {
		String before = acme.awaitIssued();
		HttpResponse<String> renewed = api("POST", "/api/certificates/shop/renew", null);
		assertThat(renewed.statusCode()).as(renewed.body()).isEqualTo(200);
		String after = acme.storedSerial();
		assertThat(after).isNotEqualTo(before);
		assertThat(renewed.body()).contains("\"serial\":\"" + after + "\"", "\"source\":\"acme\"");
		assertThat(acme.servedSerial()).isEqualTo(after);
		assertThat(audited("ordered")).isPositive();
	}

	@Test
	void revocationMakesTheCaReportItRevokedAndANewOrderFollows() throws Exception {
		String before = acme.awaitIssued();
		assertThat(acme.pebble().certificateStatus(before)).containsPattern("\"Status\":\\s*\"Valid\"");
		HttpResponse<String> revoked = api("POST", "/api/certificates/shop/revoke", null);
		assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
		assertThat(acme.pebble().certificateStatus(before)).containsPattern("\"Status\":\\s*\"Revoked\"");
		String after = acme.storedSerial();
		assertThat(after).isNotEqualTo(before);
		assertThat(acme.pebble().certificateStatus(after)).containsPattern("\"Status\":\\s*\"Valid\"");
		assertThat(acme.servedSerial()).isEqualTo(after);
		assertThat(audited("revoked")).isPositive();
	}

	@Test
	void anUploadedPairIsServedOverTlsUntilItIsDeleted() throws Exception {
		acme.awaitIssued();
		TestCertificates.Pair pair = TestCertificates.selfSigned(Instant.now().minus(Duration.ofDays(1)),
				Instant.now().plus(Duration.ofDays(30)), AcmeTestSupport.SHOP);
		HttpResponse<String> uploaded = api("POST", "/api/certificates",
				Map.of("site", "shop", "certificate", pair.certificatePem(), "private-key", pair.privateKeyPem()));
		assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
		assertThat(uploaded.body()).contains("\"source\":\"file\"", "\"serial\":\"" + pair.serial() + "\"");
		SSLContext trustingUpload = Pebble.trusting(List.of(pair.certificate()));
		// a real handshake that checks the chain and the name against the uploaded one
		assertThat(AcmeTestSupport.https(acme.tlsPort(), AcmeTestSupport.SHOP, trustingUpload))
			.startsWith("HTTP/1.1 200")
			.endsWith("shop");
		assertThat(acme.store()
			.queryForObject("select private_key_encrypted from certificate where name = 'shop'", String.class))
			.doesNotContain("PRIVATE KEY");

		HttpResponse<String> deleted = api("DELETE", "/api/certificates/shop", null);
		assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
		assertThat(acme.https()).startsWith("HTTP/1.1 200");
		assertThat(api("GET", "/api/certificates/shop", null).body()).contains("\"source\":\"acme\"");
	}

	@Test
	void anUploadWithTheWrongKeyIsRefusedNamingThePrivateKey() throws Exception {
		acme.awaitIssued();
		Instant now = Instant.now();
		TestCertificates.Pair pair = TestCertificates.selfSigned(now, now.plus(Duration.ofDays(30)),
				AcmeTestSupport.SHOP);
		TestCertificates.Pair other = TestCertificates.selfSigned(now, now.plus(Duration.ofDays(30)),
				AcmeTestSupport.SHOP);
		HttpResponse<String> refused = api("POST", "/api/certificates",
				Map.of("site", "shop", "certificate", pair.certificatePem(), "private-key", other.privateKeyPem()));
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(refused.body()).startsWith("{\"error\":\"private-key: not the key of the certificate's public key");
		assertThat(api("GET", "/api/certificates/shop", null).body()).contains("\"source\":\"acme\"");
	}

	@Test
	void anUploadForASiteWithoutAcmeIsRefused() throws Exception {
		Instant now = Instant.now();
		TestCertificates.Pair pair = TestCertificates.selfSigned(now, now.plus(Duration.ofDays(30)), "localhost");
		HttpResponse<String> refused = api("POST", "/api/certificates",
				Map.of("site", "default", "certificate", pair.certificatePem(), "private-key", pair.privateKeyPem()));
		assertThat(refused.statusCode()).isEqualTo(409);
		assertThat(refused.body()).contains("site default: tls.acme: not true");
	}

	@Test
	void anActionOnAnUnknownSiteIs404() throws Exception {
		HttpResponse<String> refused = api("POST", "/api/certificates/nowhere/renew", null);
		assertThat(refused.statusCode()).isEqualTo(404);
		assertThat(refused.body()).contains("site 'nowhere': not found");
	}

	@Test
	void theAccountShowsItsDirectoryEmailAndKeyThumbprint() throws Exception {
		acme.awaitIssued();
		HttpResponse<String> account = api("GET", "/api/certificates/account", null);
		assertThat(account.statusCode()).isEqualTo(200);
		Map<?, ?> view = json.readValue(account.body(), Map.class);
		assertThat(view.get("directory")).isEqualTo(acme.pebble().directoryUrl());
		assertThat(view.get("key-thumbprint").toString()).matches("[A-Za-z0-9_-]{43}");
		assertThat(view.get("location").toString()).startsWith("https://127.0.0.1:");
	}

	@Test
	void anEmailChangeIsKeptAndABadOneRefusedNamingTheField() throws Exception {
		acme.awaitIssued();
		HttpResponse<String> refused = api("PUT", "/api/certificates/account", Map.of("email", "not an address"));
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(refused.body()).startsWith("{\"error\":\"email: 'not an address'");
		HttpResponse<String> changed = api("PUT", "/api/certificates/account", Map.of("email", "ops@example.test"));
		assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
		assertThat(api("GET", "/api/certificates/account", null).body()).contains("\"email\":\"ops@example.test\"");
	}

	@Test
	void keyRolloverKeepsTheAccountWorking() throws Exception {
		String before = acme.awaitIssued();
		String thumbprint = json.readValue(api("GET", "/api/certificates/account", null).body(), Map.class)
			.get("key-thumbprint")
			.toString();
		HttpResponse<String> rolled = api("POST", "/api/certificates/account/key-rollover", null);
		assertThat(rolled.statusCode()).as(rolled.body()).isEqualTo(200);
		String next = json.readValue(rolled.body(), Map.class).get("key-thumbprint").toString();
		assertThat(next).isNotEqualTo(thumbprint);
		HttpResponse<String> renewed = api("POST", "/api/certificates/shop/renew", null);
		assertThat(renewed.statusCode()).as(renewed.body()).isEqualTo(200);
		assertThat(acme.storedSerial()).isNotEqualTo(before);
		assertThat(audited("rotated")).isPositive();
	}

	private static int audited(String action) {
		return acme.store()
			.queryForObject("select count(*) from audit_log where action = ? and actor = 'admin'", Integer.class,
					action);
	}

	private static HttpResponse<String> api(String method, String path, Map<String, String> body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(acme.control(path)))
			.timeout(Duration.ofSeconds(120))
			.header("Authorization", TestApplication.basic("admin:" + AcmeTestSupport.password()));
		if (body != null) {
			request.header("Content-Type", "application/json")
				.method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
		}
		else {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
