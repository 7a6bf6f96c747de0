package dev.capuchin.app.certificates;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
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
 * @param challenge how control of a host name is proved: {@code http-01} (the default) or
 * {@code tls-alpn-01}
 * @param dnsHook the command that publishes and removes the DNS-01 TXT records of
 * wildcard names ({@code <hook> present|cleanup <record> <value>}, see {@link DnsHook});
 * without it, wildcard names are not ordered
 * @param dnsHookTimeout how long one run of the DNS hook may take before it is killed
 * @param everySite whether every site without a certificate file of its own gets one from
 * the CA, as if it said {@code tls: {acme: true}} (sites with no name a CA certifies,
 * such as {@code localhost} or an address, stay on plain HTTP)
 */
@ConfigurationProperties("capuchin.acme")
public record AcmeProperties(URI directory, String email, boolean acceptTerms, Path trustCa, String eabKeyId,
		String eabHmacKey, @DefaultValue(DEFAULT_STORAGE) Path storage,
		@DefaultValue(DEFAULT_CHECK_INTERVAL) Duration checkInterval,
		@DefaultValue(DEFAULT_RETRY_MIN) Duration retryMin, @DefaultValue(DEFAULT_RETRY_MAX) Duration retryMax,
		@DefaultValue(DEFAULT_TIMEOUT) Duration timeout, @DefaultValue(DEFAULT_CHALLENGE) AcmeChallenge challenge,
		Path dnsHook, @DefaultValue(DEFAULT_DNS_HOOK_TIMEOUT) Duration dnsHookTimeout, boolean everySite) {

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

	/**
	 * Default challenge: HTTP-01, which also works behind a load balancer that ends TLS
	 * itself (TLS-ALPN-01 needs the CA's handshake to reach a node).
	 */
	public static final String DEFAULT_CHALLENGE = "http-01";

	/**
	 * Default DNS hook time limit: long enough for a provider's API and its propagation
	 * wait, short enough that a hung script does not hold the order thread for long.
	 */
	public static final String DEFAULT_DNS_HOOK_TIMEOUT = "2m";

	/**
	 * The settings before the challenge choice and the DNS hook existed: HTTP-01, no DNS
	 * hook, only the sites that say {@code tls: {acme: true}}.
	 * @param directory the CA's directory URL
	 * @param email the account's contact address
	 * @param acceptTerms whether the CA's terms of service are accepted
	 * @param trustCa extra CA certificates for the ACME server's HTTPS
	 * @param eabKeyId the external account binding's key identifier
	 * @param eabHmacKey the external account binding's MAC key
	 * @param storage where each node writes the issued certificates
	 * @param checkInterval how often a node looks at the certificates
	 * @param retryMin the wait after a first failed order
	 * @param retryMax the longest wait between two failed orders
	 * @param timeout how long one order may take
	 */
	public AcmeProperties(URI directory, String email, boolean acceptTerms, Path trustCa, String eabKeyId,
			String eabHmacKey, Path storage, Duration checkInterval, Duration retryMin, Duration retryMax,
			Duration timeout) {
		this(directory, email, acceptTerms, trustCa, eabKeyId, eabHmacKey, storage, checkInterval, retryMin, retryMax,
				timeout, AcmeChallenge.HTTP_01, null, Duration.parse("PT2M"), false);
	}

	@ConstructorBinding
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
		if (challenge == null) {
			challenge = AcmeChallenge.HTTP_01;
		}
		if (dnsHookTimeout == null) {
			dnsHookTimeout = Duration.parse("PT2M");
		}
		if (dnsHookTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
			throw new IllegalArgumentException(
					"capuchin.acme.dns-hook-timeout: " + dnsHookTimeout + " (expected: >= 1s)");
		}
	}

}
