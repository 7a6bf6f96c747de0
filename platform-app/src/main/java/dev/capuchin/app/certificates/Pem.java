package dev.capuchin.app.certificates;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * Reads the PEM the store keeps: the first certificate of a chain, and PKCS#8 EC keys
 * (the only kind the node makes).
 */
final class Pem {

	private Pem() {
	}

	/**
	 * The first certificate of a PEM chain.
	 * @param pem the chain, leaf first
	 * @return the leaf
	 * @throws IllegalArgumentException when it is no certificate
	 */
	static X509Certificate certificate(String pem) {
		try {
			return (X509Certificate) CertificateFactory.getInstance("X.509")
				.generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalArgumentException("PEM certificate: " + ex.getMessage(), ex);
		}
	}

	/**
	 * A PKCS#8 EC private key.
	 * @param pem the {@code PRIVATE KEY} block
	 * @return the key
	 * @throws IllegalArgumentException when it is no such key
	 */
	static PrivateKey privateKey(String pem) {
		String begin = "-----BEGIN PRIVATE KEY-----";
		int start = pem.indexOf(begin);
		int end = pem.indexOf("-----END PRIVATE KEY-----");
		if (start < 0 || end < start) {
			throw new IllegalArgumentException("PEM private key: no PRIVATE KEY block");
		}
		try {
			byte[] der = Base64.getMimeDecoder().decode(pem.substring(start + begin.length(), end));
			return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalArgumentException("PEM private key: " + ex.getMessage(), ex);
		}
	}

}
