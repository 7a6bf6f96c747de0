package dev.capuchin.app.certificates;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.jspecify.annotations.Nullable;

/**
 * Checks an uploaded PEM pair before it is stored: the chain parses (leaf first), the key
 * parses (PKCS#8 or the traditional RSA and EC forms, unencrypted), the key is the one of
 * the leaf's public key (a signature made with it verifies), the leaf has not expired,
 * and it lists every server name of the site. Refusals are
 * {@link IllegalArgumentException}s whose message names the field ({@code certificate} or
 * {@code private-key}).
 */
final class UploadedCertificates {

	/** The source of uploaded certificates, as the store and the API name it. */
	static final String SOURCE = "file";

	/**
	 * The longest PEM text accepted per field: a chain of a few certificates with RSA
	 * 4096 keys is under 10 KiB; the limit keeps a paste from filling memory or the
	 * store.
	 */
	static final int MAX_PEM_CHARACTERS = 64 * 1024;

	private UploadedCertificates() {
	}

	/**
	 * Check an uploaded pair.
	 * @param site the site's name, for messages
	 * @param names the site's server names, each of which the certificate must list
	 * @param certificatePem the PEM chain, leaf first
	 * @param privateKeyPem the PEM private key
	 * @param now the time
	 * @return the pair, normalised: the chain re-encoded, the key as PKCS#8
	 * @throws IllegalArgumentException naming the field that is wrong
	 */
	static Uploaded check(String site, List<String> names, @Nullable String certificatePem,
			@Nullable String privateKeyPem, Instant now) {
		List<X509Certificate> chain = chain(certificatePem);
		X509Certificate leaf = chain.get(0);
		PrivateKey key = key(privateKeyPem);
		if (!matches(key, leaf.getPublicKey())) {
			throw new IllegalArgumentException("private-key: not the key of the certificate's public key (expected: "
					+ "the private key the certificate " + leaf.getSubjectX500Principal().getName()
					+ " was issued for)");
		}
		if (leaf.getNotAfter().toInstant().isBefore(now)) {
			throw new IllegalArgumentException("certificate: expired on " + leaf.getNotAfter().toInstant()
					+ " (expected: a certificate valid now)");
		}
		List<String> listed = dnsNames(leaf);
		for (String name : names) {
			if (listed.stream().noneMatch((each) -> covers(each, name))) {
				throw new IllegalArgumentException("certificate: does not list " + name + " (lists "
						+ (listed.isEmpty() ? "no DNS name" : String.join(", ", listed))
						+ "; expected: every server name of site " + site + ": " + String.join(", ", names) + ")");
			}
		}
		StringBuilder pem = new StringBuilder();
		try {
			for (X509Certificate certificate : chain) {
				pem.append(pem("CERTIFICATE", certificate.getEncoded()));
			}
		}
		catch (CertificateException ex) {
			throw new IllegalArgumentException("certificate: " + ex.getMessage(), ex);
		}
		return new Uploaded(leaf, pem.toString(), pem("PRIVATE KEY", key.getEncoded()));
	}

	private static List<X509Certificate> chain(@Nullable String text) {
		String pem = limited("certificate", text, "a PEM certificate chain, leaf first");
		List<X509Certificate> chain = new ArrayList<>();
		if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
			throw new IllegalArgumentException("certificate: no certificate in it (expected: a PEM certificate chain, "
					+ "leaf first, each block from -----BEGIN CERTIFICATE-----)");
		}
		try {
			for (Certificate certificate : CertificateFactory.getInstance("X.509")
				.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
				chain.add((X509Certificate) certificate);
			}
		}
		catch (CertificateException | ClassCastException ex) {
			throw new IllegalArgumentException("certificate: does not parse (" + ex.getMessage()
					+ "; expected: a PEM certificate chain, leaf first)", ex);
		}
		if (chain.isEmpty()) {
			throw new IllegalArgumentException("certificate: no certificate in it (expected: a PEM certificate chain, "
					+ "leaf first, each block from -----BEGIN CERTIFICATE-----)");
		}
		return chain;
	}

	private static PrivateKey key(@Nullable String text) {
		String pem = limited("private-key", text, "an unencrypted PEM private key");
		Object parsed;
		try (PEMParser parser = new PEMParser(new StringReader(pem))) {
			parsed = parser.readObject();
		}
		catch (IOException | RuntimeException ex) {
			throw new IllegalArgumentException(
					"private-key: does not parse (" + ex.getMessage() + "; expected: an unencrypted PEM private key)",
					ex);
		}
		if (parsed instanceof PEMEncryptedKeyPair || parsed instanceof PKCS8EncryptedPrivateKeyInfo) {
			throw new IllegalArgumentException("private-key: encrypted with a pass phrase (expected: an unencrypted "
					+ "PEM private key; it is stored encrypted under the master key)");
		}
		try {
			JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
			if (parsed instanceof PEMKeyPair pair) {
				return converter.getKeyPair(pair).getPrivate();
			}
			if (parsed instanceof PrivateKeyInfo info) {
				return converter.getPrivateKey(info);
			}
		}
		catch (IOException ex) {
			throw new IllegalArgumentException(
					"private-key: unsupported (" + ex.getMessage() + "; expected: an RSA, EC or Ed25519 key)", ex);
		}
		throw new IllegalArgumentException("private-key: no private key in it (expected: an unencrypted PEM private "
				+ "key, from -----BEGIN PRIVATE KEY----- or -----BEGIN EC/RSA PRIVATE KEY-----)");
	}

	private static String limited(String field, @Nullable String text, String expected) {
		if (text == null || text.isBlank()) {
			throw new IllegalArgumentException(field + ": missing (expected: " + expected + ")");
		}
		if (text.length() > MAX_PEM_CHARACTERS) {
			throw new IllegalArgumentException(field + ": " + text.length() + " characters (expected: at most "
					+ MAX_PEM_CHARACTERS + ", " + expected + ")");
		}
		return text;
	}

	// a signature made with the private key verifies with the certificate's public key
	private static boolean matches(PrivateKey key, PublicKey certified) {
		String algorithm = switch (key.getAlgorithm()) {
			case "RSA" -> "SHA256withRSA";
			case "EC", "ECDSA" -> "SHA256withECDSA";
			case "Ed25519", "EdDSA" -> "Ed25519";
			default -> throw new IllegalArgumentException(
					"private-key: a " + key.getAlgorithm() + " key (expected: an RSA, EC or Ed25519 key)");
		};
		try {
			byte[] probe = new byte[32];
			new SecureRandom().nextBytes(probe);
			Signature signer = Signature.getInstance(algorithm);
			signer.initSign(key);
			signer.update(probe);
			byte[] signature = signer.sign();
			Signature verifier = Signature.getInstance(algorithm);
			verifier.initVerify(certified);
			verifier.update(probe);
			return verifier.verify(signature);
		}
		catch (GeneralSecurityException ex) {
			// a key of another kind than the certificate's cannot even be tried
			return false;
		}
	}

	private static List<String> dnsNames(X509Certificate leaf) {
		List<String> names = new ArrayList<>();
		try {
			if (leaf.getSubjectAlternativeNames() != null) {
				for (List<?> name : leaf.getSubjectAlternativeNames()) {
					// 2: dNSName (RFC 5280, section 4.2.1.6)
					if (Integer.valueOf(2).equals(name.get(0))) {
						names.add(String.valueOf(name.get(1)).toLowerCase(Locale.ROOT));
					}
				}
			}
		}
		catch (CertificateParsingException ex) {
			throw new IllegalArgumentException("certificate: its subject alternative names do not parse ("
					+ ex.getMessage() + "; expected: DNS names)", ex);
		}
		return names;
	}

	// a wildcard covers one label (RFC 6125, section 6.4.3)
	static boolean covers(String listed, String name) {
		String host = name.toLowerCase(Locale.ROOT);
		if (listed.equals(host)) {
			return true;
		}
		if (listed.startsWith("*.")) {
			int dot = host.indexOf('.');
			return dot > 0 && host.substring(dot).equals(listed.substring(1));
		}
		return false;
	}

	private static String pem(String type, byte[] der) {
		return "-----BEGIN " + type + "-----\n"
				+ Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
				+ "\n-----END " + type + "-----\n";
	}

	/**
	 * An uploaded pair that passed the checks.
	 *
	 * @param leaf the leaf certificate
	 * @param chainPem the chain, re-encoded, leaf first
	 * @param privateKeyPem the key as PKCS#8 PEM
	 */
	record Uploaded(X509Certificate leaf, String chainPem, String privateKeyPem) {
	}

}
