package dev.capuchin.plugin.cgi.internal;

import dev.capuchin.core.spi.Exchange;

/**
 * The request a script answers: the client's, or the {@code GET} of a local redirect (RFC
 * 3875 §6.2.2), which has no body.
 *
 * @param method the request method
 * @param uri the request target as sent ({@code REQUEST_URI})
 * @param path the decoded, normalized path
 * @param query the raw query, or {@code ""}
 * @param hasBody whether the script's stdin carries the request body
 */
public record Target(String method, String uri, String path, String query, boolean hasBody) {

	/**
	 * The client's request.
	 * @param exchange the exchange
	 * @return the target
	 */
	public static Target of(Exchange exchange) {
		return new Target(exchange.request().method().name(), exchange.request().uri(), exchange.path(),
				exchange.query(), true);
	}

}
