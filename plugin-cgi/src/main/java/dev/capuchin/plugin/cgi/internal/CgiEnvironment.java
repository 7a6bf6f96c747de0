package dev.capuchin.plugin.cgi.internal;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

import dev.capuchin.core.spi.Exchange;
import dev.capuchin.core.spi.Site;
import dev.capuchin.plugin.cgi.CgiLocation;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import reactor.netty.http.server.HttpServerRequest;

/**
 * A script's environment: the meta-variables of RFC 3875 §4.1, the common extensions
 * ({@code HTTPS}, {@code REQUEST_URI}, {@code DOCUMENT_ROOT}, {@code SCRIPT_FILENAME},
 * {@code REDIRECT_STATUS}, {@code SERVER_ADDR}), one {@code HTTP_*} variable per request
 * header, the location's fixed {@code env} and the allowed part of Capuchin's own
 * environment. Nothing else: a script does not see Capuchin's variables.
 * <p>
 * Headers that are left out: {@code Proxy} (httpoxy, CVE-2016-5385: {@code HTTP_PROXY}
 * would be taken for a proxy setting), {@code Content-Type} and {@code Content-Length}
 * (they are {@code CONTENT_TYPE} and {@code CONTENT_LENGTH}), any name with an underscore
 * or a character other than letters, digits and {@code -} (two names must never map to
 * one variable: {@code X-Foo} and {@code X_Foo} would), and {@code Authorization} once
 * Capuchin authenticated the request itself (the script gets {@code REMOTE_USER}, not the
 * password).
 */
public final class CgiEnvironment {

	/** The value of {@code SERVER_SOFTWARE}. */
	public static final String SERVER_SOFTWARE = "Capuchin";

	private CgiEnvironment() {
	}

	/**
	 * Build the environment of one request.
	 * @param exchange the request
	 * @param target the request line the script answers (the exchange's, or a local
	 * redirect's)
	 * @param script the script it runs
	 * @param cgi the location's block
	 * @param inherited Capuchin's own environment, of which {@code pass-env} is taken
	 * @return the environment
	 */
	public static Map<String, String> of(Exchange exchange, Target target, Script script, CgiLocation cgi,
			Map<String, String> inherited) {
		Map<String, String> env = new HashMap<>();
		for (String name : cgi.passEnv()) {
			String value = inherited.get(name);
			if (value != null) {
				env.put(name, value);
			}
		}
		env.putAll(cgi.env());
		HttpServerRequest request = exchange.request();
		HttpHeaders headers = request.requestHeaders();
		Site site = exchange.site();
		InetSocketAddress local = exchange.connection().localAddress();
		InetSocketAddress remote = exchange.clientAddress();
		for (Map.Entry<String, String> header : headers) {
			String variable = headerVariable(header.getKey());
			if (variable == null || header.getValue().indexOf('\0') >= 0) {
				continue;
			}
			if (variable.equals("HTTP_AUTHORIZATION") && exchange.attribute(Exchange.USER) != null) {
				continue;
			}
			// repeated fields are one list (RFC 9110 §5.3); cookies are joined as a
			// cookie
			// header is (RFC 6265 §5.4)
			String separator = variable.equals("HTTP_COOKIE") ? "; " : ", ";
			env.merge(variable, header.getValue(), (a, b) -> a + separator + b);
		}
		env.put("GATEWAY_INTERFACE", "CGI/1.1");
		env.put("SERVER_SOFTWARE", SERVER_SOFTWARE);
		env.put("SERVER_NAME", serverName(headers.get(HttpHeaderNames.HOST), site));
		env.put("SERVER_PORT", Integer.toString(local.getPort()));
		env.put("SERVER_ADDR", address(local));
		env.put("SERVER_PROTOCOL", request.version().text());
		env.put("REQUEST_METHOD", target.method());
		env.put("REQUEST_URI", target.uri());
		env.put("QUERY_STRING", target.query());
		env.put("SCRIPT_NAME", script.scriptName());
		env.put("SCRIPT_FILENAME", script.file().toString());
		env.put("DOCUMENT_ROOT", site.documentRoot().toString());
		if (!script.pathInfo().isEmpty()) {
			// RFC 3875 §4.1.5-6: both are unset when there is no extra path
			env.put("PATH_INFO", script.pathInfo());
			env.put("PATH_TRANSLATED", site.documentRoot() + script.pathInfo());
		}
		env.put("REMOTE_ADDR", address(remote));
		env.put("REMOTE_HOST", address(remote));
		env.put("REMOTE_PORT", Integer.toString(remote.getPort()));
		String length = target.hasBody() ? headers.get(HttpHeaderNames.CONTENT_LENGTH) : null;
		if (length != null) {
			env.put("CONTENT_LENGTH", length.trim());
		}
		String type = target.hasBody() ? headers.get(HttpHeaderNames.CONTENT_TYPE) : null;
		if (type != null && type.indexOf('\0') < 0) {
			env.put("CONTENT_TYPE", type);
		}
		Object user = exchange.attribute(Exchange.USER);
		if (user != null) {
			env.put("REMOTE_USER", user.toString());
			Object authType = exchange.attribute(Exchange.AUTH_TYPE);
			if (authType != null) {
				env.put("AUTH_TYPE", authType.toString());
			}
		}
		if (exchange.connection().isSecure()) {
			env.put("HTTPS", "on");
			env.put("REQUEST_SCHEME", "https");
		}
		else {
			env.put("REQUEST_SCHEME", "http");
		}
		// php-cgi and others refuse to run unless a server says it sent the request
		env.put("REDIRECT_STATUS", "200");
		return env;
	}

	/**
	 * The variable of a request header, or {@code null} when the header is left out.
	 * @param name the header's name
	 * @return {@code HTTP_} and the name upper-cased with {@code -} as {@code _}
	 */
	static String headerVariable(String name) {
		if (name.isEmpty() || name.equalsIgnoreCase("proxy") || name.equalsIgnoreCase("content-type")
				|| name.equalsIgnoreCase("content-length")) {
			return null;
		}
		StringBuilder variable = new StringBuilder(5 + name.length()).append("HTTP_");
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (c >= 'a' && c <= 'z') {
				variable.append((char) (c - 32));
			}
			else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
				variable.append(c);
			}
			else if (c == '-') {
				variable.append('_');
			}
			else {
				return null;
			}
		}
		return variable.toString();
	}

	private static String serverName(String host, Site site) {
		if (host != null && !host.isEmpty()) {
			int end = host.length();
			if (host.charAt(0) == '[') {
				int close = host.indexOf(']');
				return (close > 0) ? host.substring(0, close + 1) : host;
			}
			int colon = host.lastIndexOf(':');
			return (colon >= 0) ? host.substring(0, colon) : host.substring(0, end);
		}
		return site.serverNames().isEmpty() ? site.name() : site.serverNames().get(0);
	}

	private static String address(InetSocketAddress address) {
		return (address.getAddress() != null) ? address.getAddress().getHostAddress() : address.getHostString();
	}

}
