package dev.capuchin.app.identity;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code capuchin.identity.*}: the authorization server and OpenID Connect provider.
 *
 * @param issuer the issuer URL that tokens carry and discovery announces (the public URL
 * of the identity endpoints); when left out, the URL each request arrived at, that is the
 * control listener's own URL
 * @param masterKeyFile the file holding the master key when
 * {@value MasterKey#ENVIRONMENT_VARIABLE} is not set; made (mode 0600) when absent
 * @param keyOverlap how long a replaced signing key stays in the JWK set: at least the
 * longest access and ID token lifetime, so no token outlives the key that verifies it
 * @param keyRefresh how long a node keeps the signing keys it read before reading the
 * store again: a key rotated on one node reaches the others within this time
 */
@ConfigurationProperties("capuchin.identity")
public record IdentityProperties(String issuer, @DefaultValue(DEFAULT_MASTER_KEY_FILE) Path masterKeyFile,
		@DefaultValue("1d") Duration keyOverlap, @DefaultValue("5s") Duration keyRefresh) {

	/** The default master key file, beside the default store. */
	public static final String DEFAULT_MASTER_KEY_FILE = "data/master.key";

	public IdentityProperties {
		if (issuer != null && issuer.isBlank()) {
			issuer = null;
		}
		if (issuer != null && !issuer.matches("https?://[^/?#\\s]+(/[^?#\\s]*)?")) {
			throw new IllegalArgumentException(
					"capuchin.identity.issuer: '" + issuer + "' (expected: an http or https URL without query)");
		}
		if (issuer != null && issuer.endsWith("/")) {
			issuer = issuer.substring(0, issuer.length() - 1);
		}
		if (keyOverlap.isNegative() || keyOverlap.isZero()) {
			throw new IllegalArgumentException("capuchin.identity.key-overlap: " + keyOverlap + " (expected: > 0)");
		}
		if (keyRefresh.isNegative()) {
			throw new IllegalArgumentException("capuchin.identity.key-refresh: " + keyRefresh + " (expected: >= 0)");
		}
	}

}
