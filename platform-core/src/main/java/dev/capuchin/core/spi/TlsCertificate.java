package dev.capuchin.core.spi;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A PEM certificate chain and its PEM private key.
 *
 * @param certificate the certificate chain file
 * @param privateKey the PKCS#8 private key file
 */
public record TlsCertificate(Path certificate, Path privateKey) {

	public TlsCertificate {
		Objects.requireNonNull(certificate, "certificate");
		Objects.requireNonNull(privateKey, "privateKey");
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
		if (!Files.isReadable(this.certificate)) {
			return field + ".certificate: " + this.certificate + " (expected: a readable PEM file)";
		}
		if (!Files.isReadable(this.privateKey)) {
			return field + ".private-key: " + this.privateKey + " (expected: a readable PEM file)";
		}
		return null;
	}

}
