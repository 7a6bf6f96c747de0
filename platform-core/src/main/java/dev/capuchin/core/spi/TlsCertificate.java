package dev.capuchin.core.spi;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A PEM certificate chain and its PEM private key, or the mark of a certificate that an
 * ACME CA issues ({@code tls: {acme: true}}): such a certificate's paths only name it,
 * and a {@link CertificateProvider} says which files hold it once it is issued.
 *
 * @param certificate the certificate chain file
 * @param privateKey the PKCS#8 private key file
 * @param acme whether the certificate comes from an ACME CA through a
 * {@link CertificateProvider}
 */
public record TlsCertificate(Path certificate, Path privateKey, boolean acme) {

	public TlsCertificate {
		Objects.requireNonNull(certificate, "certificate");
		Objects.requireNonNull(privateKey, "privateKey");
	}

	/**
	 * A certificate read from PEM files.
	 * @param certificate the certificate chain file
	 * @param privateKey the PKCS#8 private key file
	 */
	public TlsCertificate(Path certificate, Path privateKey) {
		this(certificate, privateKey, false);
	}

	/**
	 * The mark of a certificate an ACME CA issues.
	 * @param name what it is for: a site's name, or {@link CertificateProvider#LISTENER}
	 * for a listener's default
	 * @return the mark, whose paths only name it
	 */
	public static TlsCertificate acme(String name) {
		Path named = Path.of("acme", Objects.requireNonNull(name, "name"));
		return new TlsCertificate(named.resolve("certificate.pem"), named.resolve("private-key.pem"), true);
	}

	/**
	 * What an ACME certificate is for.
	 * @return the site's name, or {@link CertificateProvider#LISTENER}
	 */
	public String acmeName() {
		return this.certificate.getParent().getFileName().toString();
	}

	/**
	 * Check that both files can be read, naming the field that is wrong.
	 * @param field the configuration key of this certificate, for messages
	 */
	public void validate(String field) {
		String problem = problem(field);
		if (problem != null) {
			throw new IllegalArgumentException(problem);
		}
	}

	/**
	 * What keeps this certificate from being read, naming the field that is wrong.
	 * @param field the configuration key of this certificate, for messages
	 * @return the problem, or {@code null} when both files can be read
	 */
	public String problem(String field) {
		if (this.acme) {
			// nothing to read: until the CA issues it, the listener's certificate answers
			return null;
		}
		if (!Files.isReadable(this.certificate)) {
			return field + ".certificate: " + this.certificate + " (expected: a readable PEM file)";
		}
		if (!Files.isReadable(this.privateKey)) {
			return field + ".private-key: " + this.privateKey + " (expected: a readable PEM file)";
		}
		return null;
	}

}
