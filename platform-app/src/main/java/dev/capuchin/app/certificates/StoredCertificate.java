package dev.capuchin.app.certificates;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A site's certificate as the store keeps it, from the first attempt on: before the CA
 * issued one, only the names, the next attempt and the last error are set.
 *
 * @param name the site's name
 * @param names the host names ordered, in order
 * @param source {@code acme} or {@code file}
 * @param issuer the issuer's distinguished name, or {@code null}
 * @param serial the serial number, hexadecimal, or {@code null}
 * @param notBefore the start of validity, or {@code null}
 * @param notAfter the end of validity, or {@code null}
 * @param certificateChain the PEM chain, leaf first, or {@code null}
 * @param privateKeyEncrypted the PKCS#8 PEM key, encrypted with the master key, or
 * {@code null}
 * @param nextAttempt when a node orders next (renewal, or retry after a failure)
 * @param failures failed orders in a row
 * @param lastError the last failure, or {@code null}
 * @param updatedAt when the row was written
 */
public record StoredCertificate(String name, List<String> names, String source, @Nullable String issuer,
		@Nullable String serial, @Nullable Instant notBefore, @Nullable Instant notAfter,
		@Nullable String certificateChain, @Nullable String privateKeyEncrypted, Instant nextAttempt, int failures,
		@Nullable String lastError, Instant updatedAt) {

	/** The source of certificates ordered from an ACME CA. */
	public static final String ACME = "acme";

	/**
	 * Whether a certificate was issued.
	 * @return whether the chain and key are there
	 */
	public boolean issued() {
		return this.certificateChain != null && this.privateKeyEncrypted != null;
	}

}
