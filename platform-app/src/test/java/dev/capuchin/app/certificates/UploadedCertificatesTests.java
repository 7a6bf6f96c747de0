package dev.capuchin.app.certificates;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The checks an uploaded PEM pair passes before it is stored, each refusal naming the
 * field.
 */
class UploadedCertificatesTests {

	private static final Instant NOW = Instant.now();

	private static final List<String> SHOP = List.of("shop.example.com", "www.shop.example.com");

	private static TestCertificates.Pair valid(String... names) {
		return TestCertificates.selfSigned(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(30)), names);
	}

	@Test
	void aPairThatListsEveryNameIsAcceptedWithItsKeyAsPkcs8() {
		TestCertificates.Pair pair = valid("shop.example.com", "www.shop.example.com");
		UploadedCertificates.Uploaded uploaded = UploadedCertificates.check("shop", SHOP, pair.certificatePem(),
				pair.privateKeyPem(), NOW);
		assertThat(uploaded.leaf()).isEqualTo(pair.certificate());
		assertThat(uploaded.chainPem()).isEqualTo(pair.certificatePem());
		assertThat(uploaded.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
	}

	@Test
	void aWildcardCoversTheSiteNamesOfOneLabel() {
		TestCertificates.Pair pair = valid("*.shop.example.com", "shop.example.com");
		assertThat(UploadedCertificates.check("shop", SHOP, pair.certificatePem(), pair.privateKeyPem(), NOW).leaf())
			.isEqualTo(pair.certificate());
	}

	@Test
	void theKeyOfAnotherCertificateIsRefusedNamingThePrivateKey() {
		TestCertificates.Pair pair = valid("shop.example.com", "www.shop.example.com");
		TestCertificates.Pair other = valid("shop.example.com", "www.shop.example.com");
		assertThatIllegalArgumentException()
			.isThrownBy(
					() -> UploadedCertificates.check("shop", SHOP, pair.certificatePem(), other.privateKeyPem(), NOW))
			.withMessageStartingWith("private-key: not the key of the certificate's public key");
	}

	@Test
	void aKeyOfAnotherAlgorithmIsRefusedNamingThePrivateKey() throws Exception {
		TestCertificates.Pair pair = valid("shop.example.com", "www.shop.example.com");
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		KeyPair rsa = generator.generateKeyPair();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> UploadedCertificates.check("shop", SHOP, pair.certificatePem(),
					TestCertificates.pem("PRIVATE KEY", rsa.getPrivate().getEncoded()), NOW))
			.withMessageStartingWith("private-key: not the key");
	}

	@Test
	void aTraditionalRsaKeyParsesAndIsCheckedAgainstTheCertificate() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		KeyPair rsa = generator.generateKeyPair();
		java.io.StringWriter traditional = new java.io.StringWriter();
		try (JcaPEMWriter writer = new JcaPEMWriter(traditional)) {
			// BEGIN RSA PRIVATE KEY, as openssl genrsa wrote it for years
			writer.writeObject(rsa);
		}
		assertThat(traditional.toString()).contains("BEGIN RSA PRIVATE KEY");
		TestCertificates.Pair ec = valid("shop.example.com");
		// the certificate's key is EC: the RSA key parses, then does not match
		assertThatIllegalArgumentException()
			.isThrownBy(() -> UploadedCertificates.check("shop", List.of("shop.example.com"), ec.certificatePem(),
					traditional.toString(), NOW))
			.withMessageStartingWith("private-key: not the key");
	}

	@Test
	void anExpiredCertificateIsRefusedNamingTheCertificate() {
		TestCertificates.Pair pair = TestCertificates.selfSigned(NOW.minus(Duration.ofDays(30)),
				NOW.minus(Duration.ofDays(1)), "shop.example.com", "www.shop.example.com");
		assertThatIllegalArgumentException()
			.isThrownBy(
					() -> UploadedCertificates.check("shop", SHOP, pair.certificatePem(), pair.privateKeyPem(), NOW))
			.withMessageStartingWith("certificate: expired on ");
	}

	@Test
	void aCertificateWithoutEverySiteNameIsRefusedNamingTheMissingName() {
		TestCertificates.Pair pair = valid("shop.example.com");
		assertThatIllegalArgumentException()
			.isThrownBy(
					() -> UploadedCertificates.check("shop", SHOP, pair.certificatePem(), pair.privateKeyPem(), NOW))
			.withMessageStartingWith("certificate: does not list www.shop.example.com (lists shop.example.com;");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			certificate | not pem at all | certificate: no certificate in it
			certificate |                | certificate: missing
			private-key | not pem at all | private-key: no private key in it
			private-key |                | private-key: missing
			""")
	void unreadableTextIsRefusedNamingTheField(String field, String text, String message) {
		TestCertificates.Pair pair = valid("shop.example.com", "www.shop.example.com");
		String certificate = field.equals("certificate") ? text : pair.certificatePem();
		String key = field.equals("private-key") ? text : pair.privateKeyPem();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> UploadedCertificates.check("shop", SHOP, certificate, key, NOW))
			.withMessageStartingWith(message);
	}

	@Test
	void textBeyondTheLimitIsRefusedBeforeItIsParsed() {
		String huge = "x".repeat(UploadedCertificates.MAX_PEM_CHARACTERS + 1);
		assertThatIllegalArgumentException().isThrownBy(() -> UploadedCertificates.check("shop", SHOP, huge, huge, NOW))
			.withMessageStartingWith("certificate: " + huge.length() + " characters (expected: at most 65536");
	}

}
