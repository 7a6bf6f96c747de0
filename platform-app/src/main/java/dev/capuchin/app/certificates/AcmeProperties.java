package dev.capuchin.app.certificates;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The ACME CA that issues the certificates of sites with {@code tls: {acme: true}}
 * ({@code capuchin.acme.*}). Certificates are ordered only when {@code directory} is set.
 *
 * @param directory the CA's directory URL, e.g.
 * {@code https://acme-v02.api.letsencrypt.org/directory}
 * @param email the account's contact address, where the CA sends expiry warnings
 * @param acceptTerms whether the CA's terms of service are accepted; an account is never
 * created without it
 * @param trustCa a PEM file of CA certificates trusted for the ACME server's own HTTPS,
 * besides the JDK's (an internal CA, a test server)
 * @param eabKeyId the key identifier of an external account binding, for CAs that ask for
 * one (ZeroSSL, a company's CA)
 * @param eabHmacKey the MAC key of the external account binding, base64url
 * @param storage where each node writes the issued certificates for its TLS engine (the
 * private keys with mode 0600); the store keeps the originals, keys encrypted
 * @param checkInterval how often a node looks for certificates to order, renew or pick up
 * from other nodes
 * @param retryMin the wait after a first failed order; it doubles with each further
 * failure
 * @param retryMax the longest wait between two failed orders
 * @param timeout how long one order may take, validations and issuance included
 */
@ConfigurationProperties("capuchin.acme")
public record AcmeProperties(URI directory, String email, boolean acceptTerms, Path trustCa, String eabKeyId,
		String eabHmacKey, @DefaultValue(DEFAULT_STORAGE) Path storage,
		@DefaultValue(DEFAULT_CHECK_INTERVAL) Duration checkInterval,
		@DefaultValue(DEFAULT_RETRY_MIN) Duration retryMin, @DefaultValue(DEFAULT_RETRY_MAX) Duration retryMax,
		@DefaultValue(DEFAULT_TIMEOUT) Duration timeout) {

	/** Default storage directory, beside the default H2 store. */
	public static final String DEFAULT_STORAGE = "data/acme";

	/** Default check period. */
	public static final String DEFAULT_CHECK_INTERVAL = "1m";

	/**
	 * Default first back-off: a minute, so that a CA that refuses is asked again soon but
	 * never hammered (Let's Encrypt allows 5 failed validations per name and hour).
	 */
	public static final String DEFAULT_RETRY_MIN = "1m";

	/** Default longest back-off. */
	public static final String DEFAULT_RETRY_MAX = "1d";

	/** Default order time limit. */
	public static final String DEFAULT_TIMEOUT = "2m";

	public AcmeProperties {
		if (checkInterval.compareTo(Duration.ofMillis(100)) < 0) {
			throw new IllegalArgumentException(
					"capuchin.acme.check-interval: " + checkInterval + " (expected: >= 100ms)");
		}
		if (retryMin.compareTo(Duration.ofMillis(100)) < 0) {
			throw new IllegalArgumentException("capuchin.acme.retry-min: " + retryMin + " (expected: >= 100ms)");
		}
		if (retryMax.compareTo(retryMin) < 0) {
			throw new IllegalArgumentException(
					"capuchin.acme.retry-max: " + retryMax + " (expected: >= retry-min " + retryMin + ")");
		}
		if (timeout.compareTo(Duration.ofSeconds(1)) < 0) {
			throw new IllegalArgumentException("capuchin.acme.timeout: " + timeout + " (expected: >= 1s)");
		}
		if ((eabKeyId == null) != (eabHmacKey == null)) {
			throw new IllegalArgumentException(
					"capuchin.acme.eab-key-id and eab-hmac-key: both or neither (an external account binding needs both)");
		}
	}

}
