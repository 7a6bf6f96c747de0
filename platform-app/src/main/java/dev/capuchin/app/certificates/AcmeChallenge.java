package dev.capuchin.app.certificates;

/**
 * How a node proves to the CA that it controls a host name
 * ({@code capuchin.acme.challenge}). Wildcard names are proved by DNS-01 through
 * {@code capuchin.acme.dns-hook}, whichever is chosen here.
 */
public enum AcmeChallenge {

	/**
	 * HTTP-01 (RFC 8555, section 8.3): the CA fetches a token from port 80, which every
	 * node's plain-HTTP listeners answer from the store. The default: it works behind any
	 * TLS-terminating load balancer, and port 80 is open for the redirect to HTTPS
	 * anyway.
	 */
	HTTP_01("http-01"),

	/**
	 * TLS-ALPN-01 (RFC 8737): the CA shakes hands on port 443 asking for
	 * {@code acme-tls/1}, and the TLS listeners show a challenge certificate from the
	 * store. For nodes with no plain-HTTP port reachable from the CA.
	 */
	TLS_ALPN_01("tls-alpn-01");

	private final String type;

	AcmeChallenge(String type) {
		this.type = type;
	}

	/**
	 * The challenge's type as ACME names it.
	 * @return {@code http-01} or {@code tls-alpn-01}
	 */
	public String type() {
		return this.type;
	}

}
