package dev.capuchin.plugin.fastcgi.internal;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.capuchin.core.spi.Exchange;
import dev.capuchin.core.spi.Site;
import dev.capuchin.plugin.fastcgi.FastCgiLocation;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import reactor.netty.http.server.HttpServerRequest;

/**
 * The params of a request, as nginx's {@code fastcgi_params} and php-fpm expect them (the
 * CGI/1.1 meta-variables of RFC 3875 plus {@code SCRIPT_FILENAME}, {@code REQUEST_URI},
 * {@code DOCUMENT_URI}, {@code DOCUMENT_ROOT}, {@code HTTPS}, {@code REQUEST_SCHEME} and
 * {@code REDIRECT_STATUS}), then the location's extra params, which replace Capuchin's of
 * the same name.
 * <p>
 * Request headers become {@code HTTP_*} params, except: {@code Proxy} (httpoxy: PHP would
 * read {@code HTTP_PROXY} as its outgoing proxy), {@code Content-Type} and
 * {@code Content-Length} (they are {@code CONTENT_*}), and any name with a character
 * other than a letter, digit or {@code -}, so that no two names meet after mapping
 * ({@code X_User} would otherwise pass for {@code X-User}).
 */
public final class FastCgiParams {

	/** The value of {@code SERVER_SOFTWARE}. */
	public static final String SERVER_SOFTWARE = "Capuchin";

	private FastCgiParams() {
	}

	/**
	 * Build the params.
	 * @param exchange the request
	 * @param location the location's block
	 * @param target the script
	 * @return the params, in order
	 */
	public static List<Map.Entry<String, String>> of(Exchange exchange, FastCgiLocation location, ScriptTarget target) {
		HttpServerRequest request = exchange.request();
		HttpHeaders headers = request.requestHeaders();
		Site site = exchange.site();
		Map<String, String> params = new LinkedHashMap<>();
		String documentRoot = site.documentRoot().toString();
		params.put("GATEWAY_INTERFACE", "CGI/1.1");
		params.put("SERVER_SOFTWARE", SERVER_SOFTWARE);
		params.put("SERVER_PROTOCOL", request.version().text());
		params.put("REQUEST_METHOD", request.method().name());
		params.put("REQUEST_URI", request.uri());
		params.put("DOCUMENT_URI", target.scriptName() + target.pathInfo());
		params.put("QUERY_STRING", exchange.query());
		params.put("SCRIPT_NAME", target.scriptName());
		params.put("SCRIPT_FILENAME", target.file().toString());
		params.put("PATH_INFO", target.pathInfo());
		if (!target.pathInfo().isEmpty()) {
			params.put("PATH_TRANSLATED", documentRoot + target.pathInfo());
		}
		params.put("DOCUMENT_ROOT", documentRoot);
		params.put("CONTENT_TYPE", valueOr(headers.get(HttpHeaderNames.CONTENT_TYPE)));
		params.put("CONTENT_LENGTH", valueOr(headers.get(HttpHeaderNames.CONTENT_LENGTH)));
		InetSocketAddress client = exchange.clientAddress();
		params.put("REMOTE_ADDR", client.getAddress().getHostAddress());
		params.put("REMOTE_PORT", Integer.toString(client.getPort()));
		InetSocketAddress local = exchange.connection().localAddress();
		params.put("SERVER_ADDR", local.getAddress().getHostAddress());
		params.put("SERVER_PORT", Integer.toString(local.getPort()));
		params.put("SERVER_NAME", serverName(site, headers.get(HttpHeaderNames.HOST)));
		boolean secure = exchange.connection().isSecure();
		params.put("REQUEST_SCHEME", secure ? "https" : "http");
		if (secure) {
			params.put("HTTPS", "on");
		}
		params.put("REDIRECT_STATUS", "200");
		Object user = exchange.attribute(Exchange.USER);
		if (user != null) {
			params.put("REMOTE_USER", user.toString());
			Object authType = exchange.attribute(Exchange.AUTH_TYPE);
			if (authType != null) {
				params.put("AUTH_TYPE", authType.toString());
			}
		}
		for (Map.Entry<String, String> header : headers) {
			String name = httpName(header.getKey());
			if (name != null) {
				String separator = name.equals("HTTP_COOKIE") ? "; " : ", ";
				params.merge(name, header.getValue(), (a, b) -> a + separator + b);
			}
		}
		params.putAll(location.params());
		return new ArrayList<>(params.entrySet());
	}

	/**
	 * The param a request header becomes.
	 * @param header the header's name
	 * @return {@code HTTP_} and the name in upper case with {@code -} as {@code _}, or
	 * {@code null} for a header that is not passed
	 */
	static String httpName(String header) {
		if (header.isEmpty() || header.equalsIgnoreCase("proxy") || header.equalsIgnoreCase("content-type")
				|| header.equalsIgnoreCase("content-length")) {
			return null;
		}
		StringBuilder name = new StringBuilder(5 + header.length()).append("HTTP_");
		for (int i = 0; i < header.length(); i++) {
			char c = header.charAt(i);
			if (c == '-') {
				name.append('_');
			}
			else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
				name.append(Character.toUpperCase(c));
			}
			else {
				return null;
			}
		}
		return name.toString();
	}

	private static String serverName(Site site, String host) {
		if (!site.serverNames().isEmpty() && !site.serverNames().get(0).startsWith("*")) {
			return site.serverNames().get(0);
		}
		if (host == null) {
			return "";
		}
		int colon = host.lastIndexOf(':');
		return ((colon > 0 && host.indexOf(']') < colon) ? host.substring(0, colon) : host).toLowerCase(Locale.ROOT);
	}

	private static String valueOr(String value) {
		return (value != null) ? value : "";
	}

}
