package dev.capuchin.core.internal.tls;

import java.util.Optional;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;

/**
 * The TLS engines a listener can run on.
 */
public enum TlsEngine {

	/**
	 * Netty's OpenSSL-class engine over BoringSSL
	 * ({@code netty-tcnative-boringssl-static}): the default where its native library
	 * loads.
	 */
	OPENSSL("openssl", SslProvider.OPENSSL),

	/** The JDK's own engine: on every system, and the fallback. */
	JDK("jdk", SslProvider.JDK);

	private final String configName;

	private final SslProvider provider;

	TlsEngine(String configName, SslProvider provider) {
		this.configName = configName;
		this.provider = provider;
	}

	/**
	 * The name used in configuration.
	 * @return {@code openssl} or {@code jdk}
	 */
	public String configName() {
		return this.configName;
	}

	/**
	 * Netty's provider for this engine.
	 * @return the provider
	 */
	public SslProvider provider() {
		return this.provider;
	}

	/**
	 * Whether this engine can run here.
	 * @return {@code true} when its native library (if any) loaded
	 */
	public boolean isAvailable() {
		return this == JDK || OpenSsl.isAvailable();
	}

	/**
	 * Why this engine cannot run here.
	 * @return the cause, empty when it is available
	 */
	public Optional<Throwable> unavailabilityCause() {
		return (this == JDK) ? Optional.empty() : Optional.ofNullable(OpenSsl.unavailabilityCause());
	}

}
