package dev.capuchin.plugin.proxy.internal;

import java.net.InetAddress;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.capuchin.core.spi.Exchange;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
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
		in.forEach((entry) -> {
			String name = entry.getKey().toLowerCase(Locale.ROOT);
			if (HOP_BY_HOP.contains(name) || listed.contains(name) || name.equals("host") || name.equals("expect")
					|| name.startsWith(":") || name.equals("x-forwarded-for") || name.equals("x-forwarded-proto")
					|| name.equals("x-forwarded-host") || name.equals("forwarded")
					|| (userHeader != null && name.equalsIgnoreCase(userHeader))) {
				return;
			}
			out.add(entry.getKey(), entry.getValue());
		});
		String host = host(exchange);
		out.set(HttpHeaderNames.HOST, route.preserveHost() && host != null ? host : serverAuthority);
		String via = String.join(", ", in.getAll(HttpHeaderNames.VIA));
		out.set(HttpHeaderNames.VIA, (via.isEmpty() ? "" : via + ", ") + "1.1 " + nodeId);
		if (userHeader != null && exchange.attribute(Exchange.USER) instanceof String user) {
			out.set(userHeader, user);
		}
		InetSocketAddress peer = exchange.connection().remoteAddress();
		boolean trusted = !sameAddress(exchange.clientAddress(), peer);
		String proto = exchange.connection().isSecure() ? "https" : "http";
		String peerIp = peer.getAddress().getHostAddress();
		String xff = trusted ? String.join(", ", in.getAll("X-Forwarded-For")) : "";
		out.set("X-Forwarded-For", xff.isEmpty() ? peerIp : xff + ", " + peerIp);
		String xfProto = trusted ? in.get("X-Forwarded-Proto") : null;
		out.set("X-Forwarded-Proto", (xfProto != null) ? xfProto : proto);
		String xfHost = trusted ? in.get("X-Forwarded-Host") : null;
		if (xfHost != null || host != null) {
			out.set("X-Forwarded-Host", (xfHost != null) ? xfHost : host);
		}
		StringBuilder forwarded = new StringBuilder();
		String incoming = trusted ? String.join(", ", in.getAll("Forwarded")) : "";
		if (!incoming.isEmpty()) {
			forwarded.append(incoming).append(", ");
		}
		forwarded.append("for=").append(node(peer.getAddress(), peerIp));
		if (host != null && quotable(host)) {
			forwarded.append(";host=\"").append(host).append('"');
		}
		forwarded.append(";proto=").append(proto);
		out.set("Forwarded", forwarded.toString());
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
		in.forEach((entry) -> {
			String name = entry.getKey().toLowerCase(Locale.ROOT);
			if (HOP_BY_HOP.contains(name) || listed.contains(name) || route.removeResponseHeaders().contains(name)
					|| name.equals("date") || name.equals("server")) {
				// this node's own Date and Server stand (as nginx's do): two of each
				// would
				// contradict each other
				return;
			}
			String value = entry.getValue();
			if (name.equals("location") || name.equals("content-location")) {
				value = locationRewrite.apply(value);
			}
			else if (name.equals("refresh")) {
				int url = value.toLowerCase(Locale.ROOT).indexOf("url=");
				if (url >= 0) {
					value = value.substring(0, url + 4) + locationRewrite.apply(value.substring(url + 4).trim());
				}
			}
			out.add(entry.getKey(), value);
		});
		String via = String.join(", ", in.getAll(HttpHeaderNames.VIA));
		out.set(HttpHeaderNames.VIA, (via.isEmpty() ? "" : via + ", ") + "1.1 " + nodeId);
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

	static @Nullable String host(Exchange exchange) {
		String host = exchange.request().requestHeaders().get(HttpHeaderNames.HOST);
		if (host == null) {
			// HTTP/2 carries it as :authority, which Reactor Netty maps to the host
			// header; without either, the listener's address stands in
			return null;
		}
		return host;
	}

	private static Set<String> connectionListed(HttpHeaders headers) {
		List<String> values = headers.getAll(HttpHeaderNames.CONNECTION);
		if (values.isEmpty()) {
			return Set.of();
		}
		Set<String> names = new java.util.HashSet<>();
		for (String value : values) {
			for (String name : value.split(",")) {
				names.add(name.trim().toLowerCase(Locale.ROOT));
			}
		}
		return names;
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
