package dev.capuchin.app.certificates;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Self-signed certificates and their keys for upload tests, as an admin would make them
 * with {@code openssl req -x509}.
 */
final class TestCertificates {

	private TestCertificates() {
	}

	/**
	 * A self-signed certificate for some DNS names, with a new EC P-256 key.
	 * @param notBefore the start of validity
	 * @param notAfter the end of validity
	 * @param names the DNS names it lists
	 * @return the certificate and its key
	 */
	static Pair selfSigned(Instant notBefore, Instant notAfter, String... names) {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
			KeyPair keys = generator.generateKeyPair();
			X500Name subject = new X500Name("CN=" + names[0]);
			JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
					new BigInteger(64, new SecureRandom()).add(BigInteger.ONE), Date.from(notBefore),
					Date.from(notAfter), subject, keys.getPublic());
			builder.addExtension(Extension.subjectAlternativeName, false,
					new GeneralNames(List.of(names)
						.stream()
						.map((name) -> new GeneralName(GeneralName.dNSName, name))
						.toArray(GeneralName[]::new)));
			builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
			X509Certificate certificate = new JcaX509CertificateConverter()
				.getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
			return new Pair(certificate, pem("CERTIFICATE", certificate.getEncoded()),
					pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
		}
		catch (Exception ex) {
			throw new IllegalStateException("self-signed certificate: " + ex.getMessage(), ex);
		}
	}

	static String pem(String type, byte[] der) {
		return "-----BEGIN " + type + "-----\n"
				+ Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
				+ "\n-----END " + type + "-----\n";
	}

	/**
	 * A certificate and its key.
	 *
	 * @param certificate the certificate
	 * @param certificatePem the certificate, PEM
	 * @param privateKeyPem its PKCS#8 key, PEM
	 */
	record Pair(X509Certificate certificate, String certificatePem, String privateKeyPem) {

		String serial() {
			return this.certificate.getSerialNumber().toString(16);
		}

	}

}
