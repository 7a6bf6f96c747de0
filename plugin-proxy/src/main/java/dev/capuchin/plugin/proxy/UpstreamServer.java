package dev.capuchin.plugin.proxy;

import java.net.URI;
import java.util.Objects;

/**
 * One server of an upstream.
 *
 * @param url the server's base URL: {@code http://} or {@code https://}, a host and an
 * optional port, no path, query or user information
 * @param weight the server's share for weighted balancers, 1 to {@value #MAX_WEIGHT}
 * @param backup whether the server is used only when no primary server is available
 * @param drain whether the server is drained: it gets no new requests, the ones in flight
 * finish (a stored setting, so it reaches every node and survives restarts)
 */
public record UpstreamServer(URI url, int weight, boolean backup, boolean drain) {

	/** The weight of a server that names none. */
	public static final int DEFAULT_WEIGHT = 1;

	/** The largest weight accepted. */
	public static final int MAX_WEIGHT = 1000;

	public UpstreamServer {
		Objects.requireNonNull(url, "url");
		String problem = urlProblem(url);
		if (problem != null) {
			throw new IllegalArgumentException("url: '" + url + "' " + problem);
		}
		if (weight < 1 || weight > MAX_WEIGHT) {
			throw new IllegalArgumentException("weight: " + weight + " (expected: 1.." + MAX_WEIGHT + ")");
		}
	}

	/**
	 * A primary server of weight 1.
	 * @param url the server's base URL
	 * @return the server
	 */
	public static UpstreamServer of(String url) {
		return new UpstreamServer(URI.create(url), DEFAULT_WEIGHT, false, false);
	}

	/**
	 * This server drained or re-enabled.
	 * @param drained whether it is drained
	 * @return the changed server
	 */
	public UpstreamServer withDrain(boolean drained) {
		return new UpstreamServer(this.url, this.weight, this.backup, drained);
	}

	/**
	 * Whether the URL uses TLS.
	 * @return {@code true} for {@code https://}
	 */
	public boolean secure() {
		return "https".equalsIgnoreCase(this.url.getScheme());
	}

	/**
	 * The port, the scheme's default when the URL names none.
	 * @return the port
	 */
	public int port() {
		return (this.url.getPort() != -1) ? this.url.getPort() : (secure() ? 443 : 80);
	}

	/**
	 * The host, without IPv6 brackets.
	 * @return the host
	 */
	public String host() {
		String host = this.url.getHost();
		return (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
	}

	/**
	 * The {@code host:port} authority, for the access log and the {@code Host} header.
	 * @return such as {@code 127.0.0.1:9001}
	 */
	public String authority() {
		return this.url.getHost() + ":" + port();
	}

	static String urlProblem(URI url) {
		String scheme = url.getScheme();
		if (scheme == null || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
			return "(expected: an http:// or https:// URL)";
		}
		if (url.getHost() == null || url.getHost().isEmpty()) {
			return "has no host (expected: such as http://127.0.0.1:9001)";
		}
		if (url.getRawUserInfo() != null || url.getRawQuery() != null || url.getRawFragment() != null
				|| (url.getRawPath() != null && !url.getRawPath().isEmpty() && !"/".equals(url.getRawPath()))) {
			return "(expected: scheme, host and port only; paths are set on the location)";
		}
		return null;
	}

}
