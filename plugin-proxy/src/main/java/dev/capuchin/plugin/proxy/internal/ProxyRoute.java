package dev.capuchin.plugin.proxy.internal;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.capuchin.plugin.proxy.internal.cache.CacheRule;
import org.jspecify.annotations.Nullable;

/**
 * A location's {@code proxy:} block, compiled.
 *
 * @param field the block's name for messages, such as
 * {@code site shop: locations[0].proxy}
 * @param upstream the upstream requests go to
 * @param prefix the location's path prefix that {@code strip-prefix} removes, or
 * {@code null} when nothing is stripped
 * @param rewrite a regular expression applied to the path, or {@code null}
 * @param replacement the rewrite's replacement ({@code $1} for groups)
 * @param preserveHost whether the client's {@code Host} goes to the server unchanged
 * @param userHeader the header that tells the server the authenticated user, or
 * {@code null}
 * @param addResponseHeaders headers set on every response
 * @param removeResponseHeaders headers removed from every response, lower case
 * @param cache the location's cache rule, or {@code null} when it is not cached
 */
public record ProxyRoute(String field, PreparedUpstream upstream, @Nullable String prefix, @Nullable Pattern rewrite,
		String replacement, boolean preserveHost, @Nullable String userHeader, Map<String, String> addResponseHeaders,
		List<String> removeResponseHeaders, @Nullable CacheRule cache) {

	/**
	 * The path and query sent to the server.
	 * @param rawUri the request's raw path and query
	 * @return the upstream's path and query
	 */
	public String upstreamUri(String rawUri) {
		String uri = rawUri;
		if (this.prefix != null && uri.startsWith(this.prefix)) {
			// keep the leading slash: /app/x with prefix /app/ goes as /x
			int cut = this.prefix.endsWith("/") ? this.prefix.length() - 1 : this.prefix.length();
			uri = uri.substring(cut);
			if (uri.isEmpty() || uri.charAt(0) != '/') {
				uri = "/" + uri;
			}
		}
		if (this.rewrite != null) {
			int query = uri.indexOf('?');
			String path = (query < 0) ? uri : uri.substring(0, query);
			String rest = (query < 0) ? "" : uri.substring(query);
			String rewritten = this.rewrite.matcher(path).replaceFirst(this.replacement);
			uri = (rewritten.startsWith("/") ? rewritten : "/" + rewritten) + rest;
		}
		return uri;
	}

}
