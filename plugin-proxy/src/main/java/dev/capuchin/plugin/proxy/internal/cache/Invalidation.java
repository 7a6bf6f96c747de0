package dev.capuchin.plugin.proxy.internal.cache;

import java.util.List;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * Invalidation by unsafe methods (RFC 9111 §4.4): a successful {@code POST}, {@code PUT},
 * {@code DELETE} or {@code PATCH} removes what is stored for its URI and for its
 * {@code Location} and {@code Content-Location} when they name the same origin.
 */
final class Invalidation {

	private Invalidation() {
	}

	static void invalidate(CacheZone zone, String resource, HttpHeaders out) {
		zone.invalidate(resource);
		int space = resource.indexOf(' ');
		String site = resource.substring(0, space + 1);
		String url = resource.substring(space + 1);
		int slash = url.indexOf('/', url.indexOf("://") + 3);
		String origin = (slash < 0) ? url : url.substring(0, slash);
		for (CharSequence header : List.of(HttpHeaderNames.LOCATION, HttpHeaderNames.CONTENT_LOCATION)) {
			String value = out.get(header);
			if (value == null || value.isEmpty()) {
				continue;
			}
			if (value.startsWith("/")) {
				zone.invalidate(site + origin + value);
			}
			else if (value.regionMatches(true, 0, origin, 0, origin.length())
					&& (value.length() == origin.length() || value.charAt(origin.length()) == '/')) {
				// only the same origin: another host's entries are not this request's to
				// remove
				String target = value.substring(origin.length());
				zone.invalidate(site + origin + (target.isEmpty() ? "/" : target));
			}
		}
	}

}
