package dev.capuchin.core.internal.tls;

import java.util.Locale;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The outcome of choosing a TLS engine: the one that runs, and why it differs from the
 * one asked for, if it does.
 *
 * @param engine the engine that runs
 * @param requested what the configuration asked for ({@code auto} or an engine name)
 * @param fallbackReason why the OpenSSL engine was not used, or {@code null}
 */
public record TlsEngineSelection(TlsEngine engine, String requested, @Nullable String fallbackReason) {

	public TlsEngineSelection {
		Objects.requireNonNull(engine, "engine");
		Objects.requireNonNull(requested, "requested");
	}

	/**
	 * Choose the engine for a configured value: {@code auto} and {@code openssl} take
	 * OpenSSL where its native library loads and fall back to the JDK's engine with the
	 * reason; {@code jdk} takes the JDK's.
	 * @param requested {@code auto}, {@code openssl} or {@code jdk}
	 * @return the selection
	 * @throws IllegalArgumentException for an unknown name
	 */
	public static TlsEngineSelection select(@Nullable String requested) {
		String name = normalized(requested);
		TlsEngine wanted = wanted(requested);
		if (wanted.isAvailable()) {
			return new TlsEngineSelection(wanted, name, null);
		}
		Throwable cause = wanted.unavailabilityCause().orElse(null);
		String reason = wanted.configName() + " unavailable: "
				+ ((cause != null) ? cause.getClass().getSimpleName() + ": " + cause.getMessage() : "unknown reason");
		return new TlsEngineSelection(TlsEngine.JDK, name, reason);
	}

	/**
	 * The engine a configured value asks for, without looking whether it can run: that
	 * look loads the OpenSSL engine's native library, which a node without TLS listeners
	 * never needs, so configuration is checked with this and the look is left to the
	 * first TLS listener.
	 * @param requested {@code auto}, {@code openssl} or {@code jdk}
	 * @return the engine asked for ({@code auto} asks for OpenSSL)
	 * @throws IllegalArgumentException for an unknown name
	 */
	public static TlsEngine wanted(@Nullable String requested) {
		return switch (normalized(requested)) {
			case "auto", "openssl" -> TlsEngine.OPENSSL;
			case "jdk" -> TlsEngine.JDK;
			default -> throw new IllegalArgumentException(
					"capuchin.server.tls.engine: '" + requested + "' (expected: auto, openssl or jdk)");
		};
	}

	private static String normalized(@Nullable String requested) {
		return (requested != null) ? requested.trim().toLowerCase(Locale.ROOT) : TlsSettings.DEFAULT_ENGINE;
	}

}
