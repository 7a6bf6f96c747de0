package dev.capuchin.app.identity;

import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code capuchin.identity.listener.*}: the public identity listener, a second connector
 * of the control plane's servlet container on which only the identity paths answer (see
 * {@link PublicPathsFilter}). Off unless {@code port} is set. TLS comes from an SSL
 * bundle or from a PEM certificate and private key; a listener without TLS is refused
 * unless {@code insecure} says it is meant.
 *
 * @param port the port to listen on ({@code 0} for any free port); when left out there is
 * no public identity listener
 * @param address the address to bind
 * @param sslBundle the name of an SSL bundle ({@code spring.ssl.bundle.*}) holding the
 * listener's certificate and key; a bundle with {@code reload-on-update} is picked up
 * when its files change
 * @param certificate a PEM certificate (chain) file, with {@code privateKey}, when no
 * bundle is named
 * @param privateKey the PEM private key file of {@code certificate}
 * @param insecure whether the listener may speak plain HTTP: only on loopback for tests,
 * or behind a proxy that terminates TLS
 */
@ConfigurationProperties(IdentityListenerProperties.PREFIX)
public record IdentityListenerProperties(Integer port, @DefaultValue(DEFAULT_ADDRESS) String address, String sslBundle,
		Path certificate, Path privateKey, boolean insecure) {

	/** The keys' prefix, which messages name. */
	public static final String PREFIX = "capuchin.identity.listener";

	/** Every address: the listener is the public side. */
	public static final String DEFAULT_ADDRESS = "0.0.0.0";

	public IdentityListenerProperties {
		if (sslBundle != null && sslBundle.isBlank()) {
			sslBundle = null;
		}
		if (port != null) {
			validate(port, address, sslBundle, certificate, privateKey, insecure);
		}
	}

	private static void validate(int port, String address, String sslBundle, Path certificate, Path privateKey,
			boolean insecure) {
		if (port < 0 || port > 65535) {
			throw new IllegalArgumentException(PREFIX + ".port: " + port + " (expected: 0 to 65535)");
		}
		if (address == null || address.isBlank()) {
			throw new IllegalArgumentException(PREFIX + ".address: '' (expected: an IP address or host name)");
		}
		if (sslBundle != null && (certificate != null || privateKey != null)) {
			throw new IllegalArgumentException(PREFIX + ".ssl-bundle: '" + sslBundle
					+ "' (expected: either ssl-bundle or certificate and private-key, not both)");
		}
		if (certificate != null && privateKey == null) {
			throw new IllegalArgumentException(
					PREFIX + ".private-key: not set (expected: the PEM private key of " + certificate + ")");
		}
		if (privateKey != null && certificate == null) {
			throw new IllegalArgumentException(
					PREFIX + ".certificate: not set (expected: the PEM certificate of " + privateKey + ")");
		}
		if (certificate != null) {
			readable("certificate", certificate);
			readable("private-key", privateKey);
		}
		boolean tls = sslBundle != null || certificate != null;
		if (tls && insecure) {
			throw new IllegalArgumentException(PREFIX + ".insecure: true (expected: false when "
					+ ((sslBundle != null) ? "ssl-bundle" : "certificate") + " is set)");
		}
		if (!tls && !insecure) {
			throw new IllegalArgumentException(PREFIX + ".ssl-bundle: not set (expected: the public identity "
					+ "listener speaks TLS: set ssl-bundle, or certificate and private-key; "
					+ "or insecure: true behind a proxy that terminates TLS)");
		}
	}

	private static void readable(String key, Path file) {
		if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
			throw new IllegalArgumentException(PREFIX + "." + key + ": " + file + " (expected: a readable PEM file)");
		}
	}

	/**
	 * Whether the public identity listener is on.
	 * @return whether a port is set
	 */
	public boolean enabled() {
		return this.port != null;
	}

	/**
	 * Whether the listener speaks TLS.
	 * @return whether a bundle or a certificate is set
	 */
	public boolean tls() {
		return this.sslBundle != null || this.certificate != null;
	}

}
