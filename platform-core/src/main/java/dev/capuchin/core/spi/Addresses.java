package dev.capuchin.core.spi;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

import org.jspecify.annotations.Nullable;

/**
 * Parses {@code host:port} listener addresses: {@code 0.0.0.0:2001},
 * {@code 127.0.0.1:2001}, {@code [::1]:2001}, {@code *:2001} or {@code :2001} for every
 * address.
 */
public final class Addresses {

	private Addresses() {
	}

	/**
	 * Parse an address without a name lookup.
	 * @param value the {@code host:port} text
	 * @param field the configuration key, for messages
	 * @return the resolved socket address
	 * @throws IllegalArgumentException naming the field when the value is malformed
	 */
	public static InetSocketAddress parse(@Nullable String value, String field) {
		String text = (value != null) ? value.trim() : "";
		int colon = text.lastIndexOf(':');
		if (colon < 0 || colon == text.length() - 1) {
			throw new IllegalArgumentException(field + ": '" + value + "' (expected: host:port)");
		}
		String host = text.substring(0, colon);
		int port;
		try {
			port = Integer.parseInt(text.substring(colon + 1));
		}
		catch (NumberFormatException ex) {
			port = -1;
		}
		if (port < 0 || port > 65535) {
			throw new IllegalArgumentException(field + ": '" + value + "' (expected: a port 0..65535)");
		}
		if (host.startsWith("[") && host.endsWith("]")) {
			host = host.substring(1, host.length() - 1);
		}
		if (host.isEmpty() || host.equals("*")) {
			return new InetSocketAddress(port);
		}
		if (!host.matches("[0-9a-fA-F:.%A-Za-z-]+")) {
			throw new IllegalArgumentException(field + ": '" + value + "' (expected: an IP address or host name)");
		}
		try {
			return new InetSocketAddress(InetAddress.getByName(host), port);
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException(field + ": '" + value + "' (unknown host)", ex);
		}
	}

}
