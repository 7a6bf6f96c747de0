package dev.capuchin.plugin.proxy.internal;

import java.net.InetAddress;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.capuchin.core.spi.Exchange;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import org.jspecify.annotations.Nullable;

/**
 * The headers a request takes to the server: the client's, less the hop-by-hop ones (RFC
 * 9110 §7.6.1, those named in {@code Connection} included), with {@code Host},
 * {@code Via}, {@code X-Forwarded-*} and {@code Forwarded} (RFC 7239) set by the proxy.
 * <p>
 * Incoming forwarding headers are kept (and appended to) only when the direct peer is a
 * trusted proxy, which is when mandril replaced the exchange's client address with the
 * one it forwarded; from any other peer they are replaced, so a client cannot forge its
 * address to the server.
 */
public final class ForwardedHeaders {

	/** Hop-by-hop headers, lower case. */
	static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection", "te", "trailer",
			"transfer-encoding", "upgrade", "proxy-authenticate", "proxy-authorization");

	private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("X-Forwarded-For");

	private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("X-Forwarded-Proto");

	private static final AsciiString X_FORWARDED_HOST = AsciiString.cached("X-Forwarded-Host");

	private static final AsciiString FORWARDED = AsciiString.cached("Forwarded");

	private static final AsciiString REFRESH = AsciiString.cached("Refresh");

	/**
	 * The client's headers that do not go on as they are: hop-by-hop, those the proxy
	 * sets itself, and {@code Expect} (the kernel answers it). A headers object, as its
	 * lookups ignore case without making a string.
	 */
	private static final HttpHeaders REQUEST_SKIPPED = names(HOP_BY_HOP, "host", "expect", "x-forwarded-for",
			"x-forwarded-proto", "x-forwarded-host", "forwarded");

	/** The server's headers that do not go on: hop-by-hop, and its Date and Server. */
	private static final HttpHeaders RESPONSE_SKIPPED = names(HOP_BY_HOP, "date", "server");

	private ForwardedHeaders() {
	}

	/**
	 * Copy the headers for the server.
	 * @param exchange the client's exchange
	 * @param route the location's route
	 * @param serverAuthority the server's {@code host:port}
	 * @param nodeId this node's id, for {@code Via}
	 * @param out the upstream request's headers
	 */
	public static void request(Exchange exchange, ProxyRoute route, String serverAuthority, String nodeId,
			HttpHeaders out) {
		HttpHeaders in = exchange.request().requestHeaders();
		Set<String> listed = connectionListed(in);
		String userHeader = route.userHeader();
		out.clear();
		// names compared as they are (no String made per header): this runs for every
		// header of every proxied request
		for (Iterator<Map.Entry<CharSequence, CharSequence>> it = in.iteratorCharSequence(); it.hasNext();) {
			Map.Entry<CharSequence, CharSequence> entry = it.next();
			CharSequence name = entry.getKey();
			if (REQUEST_SKIPPED.contains(name) || (name.length() > 0 && name.charAt(0) == ':')
					|| (!listed.isEmpty() && listed.contains(lower(name)))
					|| (userHeader != null && AsciiString.contentEqualsIgnoreCase(name, userHeader))) {
				continue;
			}
			out.add(name, entry.getValue());
		}
		String host = host(exchange);
		out.set(HttpHeaderNames.HOST, route.preserveHost() && host != null ? host : serverAuthority);
		out.set(HttpHeaderNames.VIA, appended(in, HttpHeaderNames.VIA, "1.1 " + nodeId));
		if (userHeader != null && exchange.attribute(Exchange.USER) instanceof String user) {
			out.set(userHeader, user);
		}
		InetSocketAddress peer = exchange.connection().remoteAddress();
		boolean trusted = !sameAddress(exchange.clientAddress(), peer);
		String proto = exchange.connection().isSecure() ? "https" : "http";
		String peerIp = peer.getAddress().getHostAddress();
		out.set(X_FORWARDED_FOR, trusted ? appended(in, X_FORWARDED_FOR, peerIp) : peerIp);
		String xfProto = trusted ? in.get(X_FORWARDED_PROTO) : null;
		out.set(X_FORWARDED_PROTO, (xfProto != null) ? xfProto : proto);
		String xfHost = trusted ? in.get(X_FORWARDED_HOST) : null;
		if (xfHost != null || host != null) {
			out.set(X_FORWARDED_HOST, (xfHost != null) ? xfHost : host);
		}
		StringBuilder forwarded = new StringBuilder(64);
		if (trusted && in.contains(FORWARDED)) {
			forwarded.append(String.join(", ", in.getAll(FORWARDED))).append(", ");
		}
		forwarded.append("for=").append(node(peer.getAddress(), peerIp));
		if (host != null && quotable(host)) {
			forwarded.append(";host=\"").append(host).append('"');
		}
		forwarded.append(";proto=").append(proto);
		out.set(FORWARDED, forwarded.toString());
	}

	/** A header's values joined, with one more after them. */
	private static String appended(HttpHeaders in, CharSequence name, String last) {
		if (!in.contains(name)) {
			return last;
		}
		List<String> values = in.getAll(name);
		return (values.size() == 1) ? values.get(0) + ", " + last : String.join(", ", values) + ", " + last;
	}

	/**
	 * Copy the server's response headers for the client, less the hop-by-hop ones, with
	 * the location's additions and removals and {@code Via}.
	 * @param in the server's headers
	 * @param route the route
	 * @param nodeId this node's id
	 * @param out the client's response headers
	 * @param locationRewrite rewrites {@code Location} and {@code Refresh} values
	 */
	public static void response(HttpHeaders in, ProxyRoute route, String nodeId, HttpHeaders out,
			java.util.function.UnaryOperator<String> locationRewrite) {
		Set<String> listed = connectionListed(in);
		List<String> removed = route.removeResponseHeaders();
		for (Iterator<Map.Entry<CharSequence, CharSequence>> it = in.iteratorCharSequence(); it.hasNext();) {
			Map.Entry<CharSequence, CharSequence> entry = it.next();
			CharSequence name = entry.getKey();
			// this node's own Date and Server stand (as nginx's do): two of each would
			// contradict each other
			if (RESPONSE_SKIPPED.contains(name) || (!listed.isEmpty() && listed.contains(lower(name)))
					|| (!removed.isEmpty() && removed.contains(lower(name)))) {
				continue;
			}
			CharSequence value = entry.getValue();
			if (AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.LOCATION)
					|| AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.CONTENT_LOCATION)) {
				value = locationRewrite.apply(value.toString());
			}
			else if (AsciiString.contentEqualsIgnoreCase(name, REFRESH)) {
				String text = value.toString();
				int url = text.toLowerCase(Locale.ROOT).indexOf("url=");
				if (url >= 0) {
					value = text.substring(0, url + 4) + locationRewrite.apply(text.substring(url + 4).trim());
				}
			}
			out.add(name, value);
		}
		out.set(HttpHeaderNames.VIA, appended(in, HttpHeaderNames.VIA, "1.1 " + nodeId));
		route.addResponseHeaders().forEach(out::set);
	}

	/**
	 * Whether a request's {@code Via} names this node: the request went round a loop.
	 * @param vias the {@code Via} values
	 * @param nodeId this node's id
	 * @return {@code true} on a loop
	 */
	public static boolean loops(List<String> vias, String nodeId) {
		for (String via : vias) {
			for (String hop : via.split(",")) {
				String[] parts = hop.trim().split("\\s+");
				if (parts.length >= 2 && parts[1].equals(nodeId)) {
					return true;
				}
			}
		}
		return false;
	}

	private static HttpHeaders names(Set<String> common, String... more) {
		HttpHeaders names = new DefaultHttpHeaders();
		common.forEach((name) -> names.add(name, ""));
		for (String name : more) {
			names.add(name, "");
		}
		return names;
	}

	private static String lower(CharSequence name) {
		return name.toString().toLowerCase(Locale.ROOT);
	}

	static @Nullable String host(Exchange exchange) {
		String host = exchange.request().requestHeaders().get(HttpHeaderNames.HOST);
		if (host == null) {
			// HTTP/2 carries it as :authority, which Reactor Netty maps to the host
			// header; without either, the listener's address stands in
			return null;
		}
		return host;
	}

	/**
	 * The header names a {@code Connection} header lists, less those removed anyway
	 * (hop-by-hop ones, and {@code close}): a server's {@code Connection: keep-alive}
	 * then leaves the set empty, and no header name is lowered to be looked up.
	 */
	private static Set<String> connectionListed(HttpHeaders headers) {
		if (!headers.contains(HttpHeaderNames.CONNECTION)) {
			return Set.of();
		}
		Set<String> names = null;
		for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
			for (String token : value.split(",")) {
				String name = token.trim().toLowerCase(Locale.ROOT);
				if (name.isEmpty() || name.equals("close") || HOP_BY_HOP.contains(name)) {
					continue;
				}
				if (names == null) {
					names = new java.util.HashSet<>();
				}
				names.add(name);
			}
		}
		return (names != null) ? names : Set.of();
	}

	private static boolean sameAddress(InetSocketAddress a, InetSocketAddress b) {
		return a.getAddress() != null && a.getAddress().equals(b.getAddress());
	}

	private static String node(InetAddress address, String text) {
		return (address instanceof Inet6Address) ? "\"[" + text + "]\"" : text;
	}

	// a plain loop: a stream over the characters cost more than the rest of the headers
	private static boolean quotable(String value) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\\') {
				return false;
			}
		}
		return true;
	}

}
