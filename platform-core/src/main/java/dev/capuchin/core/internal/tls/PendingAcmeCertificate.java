package dev.capuchin.core.internal.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

import dev.capuchin.core.spi.TlsCertificate;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The certificate a TLS listener shakes hands with while an ACME certificate is pending
 * (not issued yet): self-signed, subject {@code CN=Capuchin ACME placeholder} (what a
 * browser shows before issuance), made once per process in a temporary directory. No
 * client trusts it, which is the point: it only keeps the listener up until the CA
 * answers (a CA that is down never blocks the start).
 */
public final class PendingAcmeCertificate {

	private static volatile TlsCertificate certificate;

	private PendingAcmeCertificate() {
	}

	/**
	 * The pending certificate, made on first use.
	 * @return its files
	 */
	public static TlsCertificate certificate() {
		TlsCertificate made = certificate;
		if (made == null) {
			synchronized (PendingAcmeCertificate.class) {
				made = certificate;
				if (made == null) {
					made = make();
					certificate = made;
				}
			}
		}
		return made;
	}

	private static TlsCertificate make() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
			KeyPair keys = generator.generateKeyPair();
			X500Name subject = new X500Name("CN=Capuchin ACME placeholder");
			Instant now = Instant.now();
			JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
					BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofDays(1))),
					Date.from(now.plus(Duration.ofDays(3650))), subject, keys.getPublic());
			builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
			X509CertificateHolder holder = builder
				.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
			Path directory = Files.createTempDirectory("capuchin-pending-acme");
			directory.toFile().deleteOnExit();
			Path certificateFile = directory.resolve("certificate.pem");
			Path keyFile = directory.resolve("private-key.pem");
			Files.writeString(certificateFile, pem("CERTIFICATE", holder.getEncoded()), StandardCharsets.US_ASCII);
			Files.writeString(keyFile, pem("PRIVATE KEY", keys.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
			certificateFile.toFile().deleteOnExit();
			keyFile.toFile().deleteOnExit();
			return new TlsCertificate(certificateFile, keyFile);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("pending ACME certificate: " + ex.getMessage(), ex);
		}
		catch (GeneralSecurityException | OperatorCreationException ex) {
			throw new IllegalStateException("pending ACME certificate: " + ex.getMessage(), ex);
		}
	}

	private static String pem(String type, byte[] der) {
		return "-----BEGIN " + type + "-----\n"
				+ Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
				+ "\n-----END " + type + "-----\n";
	}

}
