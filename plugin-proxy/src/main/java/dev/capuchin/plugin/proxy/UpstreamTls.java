package dev.capuchin.plugin.proxy;

import org.jspecify.annotations.Nullable;

/**
 * TLS to {@code https://} servers. Certificates and host names are verified by default,
 * SNI names the server's host (or {@code server-name}).
 *
 * @param verify whether certificates and host names are verified; {@code false} is logged
 * as a warning each time a table carries it
 * @param caFile a PEM file of trusted certificates instead of the JVM's, or {@code null}
 * @param serverName the name sent in SNI and verified, instead of the URL's host, or
 * {@code null}
 */
public record UpstreamTls(boolean verify, @Nullable String caFile, @Nullable String serverName) {

	/** Verify against the JVM's trusted certificates. */
	public static final UpstreamTls DEFAULTS = new UpstreamTls(true, null, null);

}
