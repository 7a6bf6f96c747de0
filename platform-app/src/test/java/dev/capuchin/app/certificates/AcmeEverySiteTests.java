package dev.capuchin.app.certificates;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.capuchin.app.TestApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code capuchin.acme.every-site: true}: a site that names no certificate gets one from
 * the CA without saying {@code tls: {acme: true}}, and is redirected to HTTPS; a site
 * with certificate files keeps them, and a site named {@code localhost} only stays on
 * plain HTTP.
 */
@EnabledIf("dev.capuchin.app.certificates.AcmeIssuanceTests#pebbleInstalled")
class AcmeEverySiteTests {

	private static final String FILES = "files.example.com";

	private static final TestCertificates.Pair UPLOADED = TestCertificates
		.selfSigned(Instant.now().minus(Duration.ofMinutes(1)), Instant.now().plus(Duration.ofDays(1)), FILES);

	@RegisterExtension
	static final AcmeTestSupport acme = AcmeTestSupport.pebbleAndANode()
		.shopKeys("")
		.beforeStart(AcmeEverySiteTests::writeSites)
		.with("--capuchin.acme.every-site=true");

	/**
	 * The default site's page, and a site {@code files} with a certificate of its own.
	 */
	private static void writeSites(Path temp) {
		TestApplication.write(temp.resolve("index.html"), "default");
		TestApplication.write(temp.resolve("files/index.html"), "files");
		TestApplication.write(temp.resolve("tls/files.crt"), UPLOADED.certificatePem());
		TestApplication.write(temp.resolve("tls/files.key"), UPLOADED.privateKeyPem());
		TestApplication.write(temp.resolve("sites/files.yml"),
				"name: files\nserver-names: [" + FILES + "]\ndocument-root: " + temp.resolve("files")
						+ "\ntls: {certificate: " + temp.resolve("tls/files.crt") + ", private-key: "
						+ temp.resolve("tls/files.key") + "}\n");
	}

	@Test
	void aSiteWithoutACertificateIsServedOverHttpsWithOneFromTheCa() {
		acme.awaitServed();
		assertThat(acme.store().queryForObject("select source from certificate where name = 'shop'", String.class))
			.isEqualTo("acme");
	}

	@Test
	void aSiteWithoutACertificateIsRedirectedFromPlainHttpButItsChallengesAreNot() throws Exception {
		assertThat(TestApplication.get(acme.httpPort(), AcmeTestSupport.SHOP, "/").status()).isEqualTo(301);
		assertThat(
				TestApplication.get(acme.httpPort(), AcmeTestSupport.SHOP, "/.well-known/acme-challenge/unknown-token")
					.status())
			.isEqualTo(404);
	}

	@Test
	void aSiteWithCertificateFilesKeepsThemAndIsNotOrdered() throws Exception {
		acme.awaitIssued();
		assertThat(
				AcmeTestSupport.servedSerial(acme.tlsPort(), FILES, Pebble.trusting(List.of(UPLOADED.certificate()))))
			.isEqualTo(UPLOADED.certificate().getSerialNumber().toString(16));
		assertThat(acme.store()
			.queryForObject("select count(*) from certificate where name = 'files' and source = 'acme'", Integer.class))
			.isZero();
	}

	@Test
	void aSiteNamedLocalhostOnlyStaysOnPlainHttp() throws Exception {
		TestApplication.DataPlaneResponse plain = TestApplication.get(acme.httpPort(), "localhost", "/");
		assertThat(plain.status()).isEqualTo(200);
		assertThat(plain.body()).isEqualTo("default");
		assertThat(
				acme.store().queryForObject("select count(*) from certificate where name = 'default'", Integer.class))
			.isZero();
	}

}
