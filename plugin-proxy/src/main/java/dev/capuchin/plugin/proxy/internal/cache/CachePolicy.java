package dev.capuchin.plugin.proxy.internal.cache;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import dev.capuchin.plugin.proxy.CacheZoneSettings;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import org.jspecify.annotations.Nullable;

/**
 * The storage and freshness rules of a shared cache (RFC 9111 §3, §4.2): whether a
 * response may be stored, for how long it is fresh, how old it already is, and which
 * request headers select its variant ({@code Vary}, §4.1).
 */
final class CachePolicy {

	/**
	 * Statuses cacheable by default, which heuristic freshness may apply to (RFC 9110
	 * §15.1).
	 */
	static final Set<Integer> HEURISTIC_STATUSES = Set.of(200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501);

	/**
	 * Codings whose presence in {@code Accept-Encoding} makes a variant; others are
	 * ignored.
	 */
	private static final List<String> CODINGS = List.of("br", "deflate", "gzip", "zstd");

	/** Headers not kept in an entry: set again on every answer, or per connection. */
	private static final Set<String> NOT_STORED = Set.of("date", "age", "content-length", "transfer-encoding",
			"cache-status", "connection", "keep-alive");

	private CachePolicy() {
	}

	/**
	 * The verdict on a response.
	 *
	 * @param meta the entry's headers and freshness, or {@code null} when not stored
	 * @param vary the request headers that select its variant, lower case and sorted
	 * @param reason why it is not stored (for {@code Cache-Status}'s {@code detail})
	 */
	record Verdict(CacheEntry.@Nullable Meta meta, List<String> vary, String reason) {

		static Verdict no(String reason) {
			return new Verdict(null, List.of(), reason);
		}

	}

	/**
	 * Decide on a response.
	 * @param method the request's method
	 * @param request the request's headers
	 * @param status the response's status
	 * @param upstream the response's headers as the server sent them
	 * @param client the response's headers as the client gets them
	 * @param rule the location's rule
	 * @param zone the zone's settings
	 * @param requestTime when the request went upstream, clock milliseconds
	 * @param responseTime when the response arrived, clock milliseconds
	 * @return the verdict
	 */
	static Verdict evaluate(HttpMethod method, HttpHeaders request, int status, HttpHeaders upstream,
			HttpHeaders client, CacheRule rule, CacheZoneSettings zone, long requestTime, long responseTime) {
		if (!HttpMethod.GET.equals(method)) {
			return Verdict.no("method");
		}
		if (status < 200 || status == 206 || status == 304 || status >= 600) {
			return Verdict.no("status");
		}
		CacheControl requested = CacheControl.parse(request.getAll(HttpHeaderNames.CACHE_CONTROL));
		CacheControl control = CacheControl.parse(upstream.getAll(HttpHeaderNames.CACHE_CONTROL));
		if (requested.has("no-store") || control.has("no-store")) {
			return Verdict.no("no-store");
		}
		if (control.has("private")) {
			return Verdict.no("private");
		}
		List<String> vary = vary(upstream);
		if (vary.contains("*")) {
			return Verdict.no("vary");
		}
		boolean sharedAllowed = control.has("must-revalidate") || control.has("public") || control.has("s-maxage");
		if (request.contains(HttpHeaderNames.AUTHORIZATION) && !sharedAllowed) {
			return Verdict.no("authorization");
		}
		if (upstream.contains(HttpHeaderNames.SET_COOKIE) && !rule.storeSetCookie()) {
			return Verdict.no("set-cookie");
		}
		long date = date(upstream.get(HttpHeaderNames.DATE), responseTime);
		long lastModified = date(upstream.get(HttpHeaderNames.LAST_MODIFIED), -1);
		String etag = upstream.get(HttpHeaderNames.ETAG);
		long lifetime;
		long sMaxAge = control.seconds("s-maxage");
		long maxAge = control.seconds("max-age");
		String expires = upstream.get(HttpHeaderNames.EXPIRES);
		boolean explicit = true;
		if (sMaxAge >= 0) {
			lifetime = sMaxAge * 1000;
		}
		else if (maxAge >= 0) {
			lifetime = maxAge * 1000;
		}
		else if (expires != null) {
			// an invalid date, such as 0, means already expired (RFC 9111 §5.3)
			long at = date(expires, Long.MIN_VALUE);
			lifetime = (at == Long.MIN_VALUE) ? 0 : Math.max(0, at - date);
		}
		else {
			explicit = false;
			lifetime = 0;
			if (lastModified >= 0 && lastModified <= date && zone.heuristicFraction() > 0
					&& (HEURISTIC_STATUSES.contains(status) || control.has("public"))) {
				lifetime = Math.min((long) ((date - lastModified) * zone.heuristicFraction()),
						CacheZoneSettings.MAX_HEURISTIC_LIFETIME.toMillis());
			}
		}
		if (!explicit && !HEURISTIC_STATUSES.contains(status) && !control.has("public")) {
			return Verdict.no("status");
		}
		boolean noCache = control.has("no-cache");
		if (lifetime <= 0 && etag == null && lastModified < 0) {
			// neither fresh nor revalidatable: storing it would only take space
			return Verdict.no("stale");
		}
		// s-maxage implies proxy-revalidate (§5.2.2.10); an explicit stale-* directive
		// of the same response is taken as the server's wish over that implication
		boolean mustRevalidate = control.has("must-revalidate") || control.has("proxy-revalidate");
		long swr = stale(zone.staleWhileRevalidate(), control.seconds("stale-while-revalidate"));
		long sie = stale(zone.staleIfError(), control.seconds("stale-if-error"));
		if (sMaxAge >= 0 && !control.has("stale-while-revalidate") && zone.staleWhileRevalidate() == null) {
			swr = 0;
		}
		long ageValue = Math.max(0, seconds(upstream.get(HttpHeaderNames.AGE))) * 1000;
		long apparentAge = Math.max(0, responseTime - date);
		long correctedAge = ageValue + Math.max(0, responseTime - requestTime);
		long initialAge = Math.max(apparentAge, correctedAge);
		HttpHeaders stored = client.copy();
		for (String name : NOT_STORED) {
			stored.remove(name);
		}
		if (!rule.storeSetCookie()) {
			stored.remove(HttpHeaderNames.SET_COOKIE);
		}
		return new Verdict(new CacheEntry.Meta(stored, responseTime, initialAge, lifetime, swr, sie, mustRevalidate,
				noCache, etag, lastModified), vary, "");
	}

	/**
	 * The entry's meta after a 304 from the server (RFC 9111 §4.3.4): the stored headers
	 * updated with the 304's, freshness computed anew.
	 */
	static CacheEntry.Meta refresh(CacheEntry entry, HttpMethod method, HttpHeaders request, HttpHeaders upstream,
			HttpHeaders client, CacheRule rule, CacheZoneSettings zone, long requestTime, long responseTime) {
		CacheEntry.Meta old = entry.meta;
		HttpHeaders merged = old.headers().copy();
		HttpHeaders combinedUpstream = old.headers().copy();
		for (String name : client.names()) {
			String lower = name.toLowerCase(Locale.ROOT);
			if (NOT_STORED.contains(lower) || lower.equals("content-type") || lower.equals("content-encoding")) {
				continue;
			}
			merged.set(name, client.getAll(name));
		}
		for (String name : upstream.names()) {
			combinedUpstream.set(name, upstream.getAll(name));
		}
		Verdict verdict = evaluate(method, request, entry.status, combinedUpstream, merged, rule, zone, requestTime,
				responseTime);
		if (verdict.meta() != null) {
			return verdict.meta();
		}
		// the server now says not to store: the entry may answer this request (it was
		// validated) and goes
		return new CacheEntry.Meta(merged, responseTime, 0, 0, 0, 0, true, true, old.etag(), old.lastModified());
	}

	private static long stale(java.time.@Nullable Duration zone, long directive) {
		if (zone != null) {
			return zone.toMillis();
		}
		return Math.max(0, directive) * 1000;
	}

	static List<String> vary(HttpHeaders headers) {
		List<String> values = headers.getAll(HttpHeaderNames.VARY);
		if (values.isEmpty()) {
			return List.of();
		}
		TreeSet<String> names = new TreeSet<>();
		for (String value : values) {
			for (String name : value.split(",")) {
				String trimmed = name.trim().toLowerCase(Locale.ROOT);
				if (!trimmed.isEmpty()) {
					names.add(trimmed);
				}
			}
		}
		return new ArrayList<>(names);
	}

	/**
	 * The variant of a request: the values of the headers an entry varies on, with
	 * {@code Accept-Encoding} reduced to the set of known codings the client accepts, so
	 * that spelling, order and q-values do not make variants of their own.
	 */
	static String variant(List<String> vary, HttpHeaders request) {
		if (vary.isEmpty()) {
			return "";
		}
		StringBuilder variant = new StringBuilder();
		for (String name : vary) {
			variant.append(name).append('=');
			if (name.equals("accept-encoding")) {
				variant.append(encodings(request.getAll(HttpHeaderNames.ACCEPT_ENCODING)));
			}
			else {
				variant.append(String.join(",", request.getAll(name)).replaceAll("\\s*,\\s*", ","));
			}
			variant.append('\n');
		}
		return variant.toString();
	}

	static String encodings(List<String> values) {
		TreeSet<String> accepted = new TreeSet<>();
		for (String value : values) {
			for (String part : value.split(",")) {
				String[] pieces = part.split(";");
				String coding = pieces[0].trim().toLowerCase(Locale.ROOT);
				boolean refused = false;
				for (int i = 1; i < pieces.length; i++) {
					String parameter = pieces[i].trim().toLowerCase(Locale.ROOT);
					if (parameter.startsWith("q=") && parameter.substring(2).trim().matches("0(\\.0{0,3})?")) {
						refused = true;
					}
				}
				if (!refused && (CODINGS.contains(coding) || coding.equals("x-gzip"))) {
					accepted.add(coding.equals("x-gzip") ? "gzip" : coding);
				}
			}
		}
		return accepted.isEmpty() ? "identity" : String.join(",", accepted);
	}

	/**
	 * A date header in milliseconds ({@link DateFormatter} reads RFC 9110's three
	 * formats).
	 */
	static long date(@Nullable String value, long otherwise) {
		if (value == null) {
			return otherwise;
		}
		Date date = DateFormatter.parseHttpDate(value);
		return (date != null) ? date.getTime() : otherwise;
	}

	private static long seconds(@Nullable String value) {
		if (value == null) {
			return -1;
		}
		try {
			return Long.parseLong(value.trim());
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

}
