package dev.capuchin.plugin.proxy.internal.cache;

import java.util.List;

import dev.capuchin.core.spi.Exchange;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;

/**
 * Cache keys: the resource is the site, scheme, host and target
 * ({@code shop http://example.com/app/x?y=1}); the location's {@code key:} additions
 * (headers, cookies) are a separate part, so that invalidating a URL reaches every one of
 * them.
 */
final class CacheKeys {

	private CacheKeys() {
	}

	static String url(Exchange exchange, String target) {
		String host = exchange.request().requestHeaders().get(HttpHeaderNames.HOST);
		if (host == null) {
			host = "";
		}
		return url(exchange.site().name(), exchange.connection().isSecure() ? "https" : "http", host, target);
	}

	static String url(String site, String scheme, String host, String target) {
		return site + ' ' + scheme + "://" + host.toLowerCase(java.util.Locale.ROOT) + target;
	}

	/** The {@code scheme://host/target} part of a resource key. */
	static String urlOf(String key) {
		return key.substring(key.indexOf(' ') + 1);
	}

	static String extras(CacheRule rule, HttpHeaders request) {
		if (rule.keyHeaders().isEmpty() && rule.keyCookies().isEmpty()) {
			return "";
		}
		StringBuilder extras = new StringBuilder();
		for (String name : rule.keyHeaders()) {
			extras.append("h:").append(name).append('=').append(String.join(",", request.getAll(name))).append('\n');
		}
		if (!rule.keyCookies().isEmpty()) {
			List<String> headers = request.getAll(HttpHeaderNames.COOKIE);
			for (String name : rule.keyCookies()) {
				String value = "";
				for (String header : headers) {
					for (Cookie cookie : ServerCookieDecoder.LAX.decodeAll(header)) {
						if (cookie.name().equals(name)) {
							value = cookie.value();
						}
					}
				}
				extras.append("c:").append(name).append('=').append(value).append('\n');
			}
		}
		return extras.toString();
	}

}
