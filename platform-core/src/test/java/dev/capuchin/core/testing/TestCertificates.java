package dev.capuchin.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import dev.capuchin.core.spi.TlsCertificate;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Self-signed certificates for TLS tests: an EC P-256 key and a certificate for one
 * common name and its subject alternative names, written as a PEM certificate and a
 * PKCS#8 PEM private key, as a site file would name them.
 */
public final class TestCertificates {

	private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

	private TestCertificates() {
	}

	/**
	 * Issue a self-signed certificate.
	 * @param directory where the PEM files go
	 * @param commonName the subject's CN, also a DNS SAN
	 * @param alternativeNames more DNS names, or IP literals (which become IP SANs)
	 * @return the files and the certificate
	 */
	public static Issued issue(Path directory, String commonName, String... alternativeNames) {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
			KeyPair keys = generator.generateKeyPair();
			X500Name subject = new X500Name("CN=" + commonName);
			Instant now = Instant.now();
			JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
					BigInteger.valueOf(SERIALS.incrementAndGet()), Date.from(now.minus(Duration.ofDays(1))),
					Date.from(now.plus(Duration.ofDays(30))), subject, keys.getPublic());
			List<GeneralName> names = new ArrayList<>();
			names.add(new GeneralName(GeneralName.dNSName, commonName));
			for (String name : alternativeNames) {
				boolean ip = name.matches("[0-9.]+") || name.contains(":");
				names.add(ip ? new GeneralName(GeneralName.iPAddress, InetAddress.getByName(name).getHostAddress())
						: new GeneralName(GeneralName.dNSName, name));
			}
			builder.addExtension(Extension.subjectAlternativeName, false,
					new GeneralNames(names.toArray(GeneralName[]::new)));
			builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
			X509Certificate certificate = new JcaX509CertificateConverter()
				.getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
			Files.createDirectories(directory);
			Path certificateFile = directory.resolve(commonName + ".crt");
			Path keyFile = directory.resolve(commonName + ".key");
			Files.writeString(certificateFile, pem("CERTIFICATE", certificate.getEncoded()), StandardCharsets.US_ASCII);
			Files.writeString(keyFile, pem("PRIVATE KEY", keys.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
			return new Issued(certificateFile, keyFile, certificate);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (GeneralSecurityException | OperatorCreationException ex) {
			throw new IllegalStateException("cannot issue a test certificate for " + commonName, ex);
		}
	}

	/**
	 * A client context that trusts exactly the given certificates.
	 * @param trusted the certificates to trust
	 * @return the context
	 */
	public static SSLContext trusting(Collection<X509Certificate> trusted) {
		try {
			KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
			store.load(null, null);
			int i = 0;
			for (X509Certificate certificate : trusted) {
				store.setCertificateEntry("trusted-" + i++, certificate);
			}
			TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			factory.init(store);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, factory.getTrustManagers(), new SecureRandom());
			return context;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("cannot build a client TLS context", ex);
		}
	}

	private static String pem(String type, byte[] der) {
		return "-----BEGIN " + type + "-----\n"
				+ Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
				+ "\n-----END " + type + "-----\n";
	}

	/**
	 * An issued certificate.
	 *
	 * @param certificateFile the PEM certificate
	 * @param privateKeyFile the PKCS#8 PEM private key
	 * @param certificate the certificate itself, for trust stores and assertions
	 */
	public record Issued(Path certificateFile, Path privateKeyFile, X509Certificate certificate) {

		/**
		 * The files as the kernel's certificate type.
		 * @return the certificate
		 */
		public TlsCertificate tls() {
			return new TlsCertificate(this.certificateFile, this.privateKeyFile);
		}

	}

}
