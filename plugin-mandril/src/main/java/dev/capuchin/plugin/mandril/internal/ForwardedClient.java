package dev.capuchin.plugin.mandril.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import io.netty.handler.codec.http.HttpHeaders;

/**
 * The real client behind trusted proxies, from {@code Forwarded} (RFC 7239) when a
 * request carries it, else from {@code X-Forwarded-For}. Each proxy appends the address
 * it received the request from, so the list is read from the right: the first address
 * that is not itself a trusted proxy is the client. Whatever lies left of it was written
 * by the client and is ignored. An entry that is not an address ({@code unknown}, an
 * obfuscated name, garbage) ends the walk at the last trusted hop.
 * <p>
 * Only called when the socket peer is a trusted proxy: headers from anyone else are never
 * read.
 */
public final class ForwardedClient {

	private static final String FORWARDED = "Forwarded";

	private static final String X_FORWARDED_FOR = "X-Forwarded-For";

	private ForwardedClient() {
	}

	/**
	 * The client named by the forwarding headers.
	 * @param headers the request headers
	 * @param trusted the trusted proxies
	 * @return the client, or {@code null} when the headers name none
	 */
	public static InetSocketAddress resolve(HttpHeaders headers, AddressSet trusted) {
		List<String> nodes;
		if (headers.contains(FORWARDED)) {
			nodes = forwardedNodes(headers.getAll(FORWARDED));
		}
		else if (headers.contains(X_FORWARDED_FOR)) {
			nodes = new ArrayList<>();
			for (String value : headers.getAll(X_FORWARDED_FOR)) {
				for (String entry : value.split(",")) {
					nodes.add(entry.trim());
				}
			}
		}
		else {
			return null;
		}
		InetSocketAddress chosen = null;
		for (int i = nodes.size() - 1; i >= 0; i--) {
			InetSocketAddress node = node(nodes.get(i));
			if (node == null) {
				break;
			}
			chosen = node;
			if (!trusted.contains(IpLiterals.bytes(node.getAddress()))) {
				break;
			}
		}
		return chosen;
	}

	/**
	 * The {@code for=} node of every element of {@code Forwarded} headers, in order; an
	 * element without one yields {@code ""}.
	 */
	static List<String> forwardedNodes(List<String> values) {
		List<String> nodes = new ArrayList<>();
		for (String value : values) {
			for (String element : split(value, ',')) {
				String node = "";
				for (String pair : split(element, ';')) {
					int equals = pair.indexOf('=');
					if (equals > 0 && pair.substring(0, equals).trim().equalsIgnoreCase("for")) {
						node = unquote(pair.substring(equals + 1).trim());
					}
				}
				nodes.add(node);
			}
		}
		return nodes;
	}

	/**
	 * An address with an optional port: {@code 192.0.2.1}, {@code 192.0.2.1:8080},
	 * {@code [2001:db8::1]:8080}, {@code [2001:db8::1]} or {@code 2001:db8::1}.
	 */
	static InetSocketAddress node(String text) {
		if (text.isEmpty()) {
			return null;
		}
		String host = text;
		String port = null;
		if (text.charAt(0) == '[') {
			int close = text.indexOf(']');
			if (close < 0) {
				return null;
			}
			host = text.substring(0, close + 1);
			if (close + 1 < text.length()) {
				if (text.charAt(close + 1) != ':') {
					return null;
				}
				port = text.substring(close + 2);
			}
		}
		else {
			int colon = text.indexOf(':');
			if (colon >= 0 && colon == text.lastIndexOf(':')) {
				host = text.substring(0, colon);
				port = text.substring(colon + 1);
			}
		}
		InetAddress address = IpLiterals.parse(host);
		return (address != null) ? new InetSocketAddress(address, port(port)) : null;
	}

	private static int port(String text) {
		if (text == null || text.isEmpty() || text.length() > 5) {
			return 0;
		}
		int port = 0;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c < '0' || c > '9') {
				return 0;
			}
			port = port * 10 + (c - '0');
		}
		return (port <= 65535) ? port : 0;
	}

	private static List<String> split(String text, char separator) {
		List<String> parts = new ArrayList<>();
		boolean quoted = false;
		int start = 0;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '"') {
				quoted = !quoted;
			}
			else if (c == '\\' && quoted) {
				i++;
			}
			else if (c == separator && !quoted) {
				parts.add(text.substring(start, i).trim());
				start = i + 1;
			}
		}
		parts.add(text.substring(start).trim());
		return parts;
	}

	private static String unquote(String value) {
		if (value.length() < 2 || value.charAt(0) != '"' || value.charAt(value.length() - 1) != '"') {
			return value;
		}
		StringBuilder text = new StringBuilder(value.length());
		for (int i = 1; i < value.length() - 1; i++) {
			char c = value.charAt(i);
			if (c == '\\' && i + 1 < value.length() - 1) {
				c = value.charAt(++i);
			}
			text.append(c);
		}
		return text.toString();
	}

}
