package dev.capuchin.plugin.proxy.internal.cache;

import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.capuchin.core.spi.Exchange;
import dev.capuchin.plugin.proxy.CacheResult;
import dev.capuchin.plugin.proxy.ProxyListener;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The cache's part of a proxied request: looks the request up, answers hits (with
 * {@code Age}, and the client's own conditional and range requests) from the stored
 * buffer on the request's event loop, collapses concurrent misses, and otherwise lets the
 * proxy go upstream with a {@link Lookup} whose hooks revalidate, store, serve stale and
 * invalidate. Every answer of a cached location carries {@code Cache-Status} (RFC 9211),
 * named {@code capuchin/<zone>}.
 */
public final class ProxyCache {

	/** The response header saying what the cache did (RFC 9211). */
	public static final String CACHE_STATUS = "Cache-Status";

	private static final Logger logger = LoggerFactory.getLogger(ProxyCache.class);

	/** Methods that invalidate what is stored for their URI (RFC 9111 §4.4). */
	private static final Set<HttpMethod> UNSAFE = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE,
			HttpMethod.PATCH);

	/** Preconditions and ranges the cache answers itself when it revalidates. */
	private static final List<CharSequence> CLIENT_CONDITIONALS = List.of(HttpHeaderNames.IF_MATCH,
			HttpHeaderNames.IF_NONE_MATCH, HttpHeaderNames.IF_MODIFIED_SINCE, HttpHeaderNames.IF_UNMODIFIED_SINCE,
			HttpHeaderNames.IF_RANGE, HttpHeaderNames.RANGE);

	private final Map<String, CacheZone> zones;

	private final ProxyListener listener;

	/**
	 * Create the cache over the node's zones.
	 * @param zones the zones by name
	 * @param listener told of every request's result
	 */
	public ProxyCache(Map<String, CacheZone> zones, ProxyListener listener) {
		this.zones = Map.copyOf(zones);
		this.listener = listener;
	}

	/**
	 * The zones by name.
	 * @return the zones
	 */
	public Map<String, CacheZone> zones() {
		return this.zones;
	}

	/** How the proxy goes upstream for a request the cache cannot answer. */
	public interface Forwarder {

		/**
		 * Answer the client from a server, calling the lookup's hooks.
		 * @param lookup the request's cache state
		 * @return completes when the response is sent
		 */
		Mono<Void> forward(Lookup lookup);

		/**
		 * Refresh the lookup's stale entry in the background; the client is answered
		 * already.
		 * @param lookup the refresh's cache state
		 */
		void refresh(Lookup lookup);

	}

	/**
	 * Answer a request of a cached location.
	 * @param exchange the request
	 * @param rule the location's rule
	 * @param forwarder how to go upstream
	 * @return completes when the response is sent
	 */
	public Mono<Void> handle(Exchange exchange, CacheRule rule, Forwarder forwarder) {
		CacheZone zone = this.zones.get(rule.zone());
		if (zone == null) {
			// prepare() refuses such a table; a zone removed since cannot be
			return forwarder.forward(new Lookup(null, rule, "", "", exchange.request().method()));
		}
		HttpMethod method = exchange.request().method();
		HttpHeaders request = exchange.request().requestHeaders();
		String url = CacheKeys.url(exchange, exchange.request().uri());
		String extras = CacheKeys.extras(rule, request);
		Lookup lookup = new Lookup(zone, rule, url, extras, method);
		if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
			lookup.store = false;
			lookup.forward = "method";
			lookup.invalidate = UNSAFE.contains(method);
			return forwarder.forward(lookup);
		}
		CacheControl requested = CacheControl.parse(request.getAll(HttpHeaderNames.CACHE_CONTROL));
		if (requested.has("no-store")) {
			lookup.store = false;
			lookup.forward = "request";
			return forwarder.forward(lookup);
		}
		long now = zone.clock().millis();
		CacheEntry entry = zone.lookup(url, extras, request);
		if (entry != null) {
			CacheEntry.Meta meta = entry.meta;
			long maxAge = requested.seconds("max-age");
			boolean revalidate = requested.has("no-cache") || (maxAge >= 0 && meta.age(now) >= maxAge * 1000)
					|| request.contains(HttpHeaderNames.PRAGMA, "no-cache", true);
			if (!revalidate && meta.fresh(now)) {
				return serve(exchange, zone, entry, CacheResult.HIT, "hit; ttl=" + ttl(meta, now));
			}
			if (!revalidate && !meta.mustRevalidate() && !meta.noCache()
					&& meta.staleness(now) < meta.staleWhileRevalidate()) {
				if (entry.refreshing.compareAndSet(false, true)) {
					Lookup refresh = new Lookup(zone, rule, url, extras, HttpMethod.GET);
					refresh.stale = entry;
					refresh.forward = "stale";
					refresh.background = true;
					try {
						forwarder.refresh(refresh);
					}
					catch (RuntimeException ex) {
						entry.refreshing.set(false);
						logger.warn("cache {}: background refresh of {} failed: {}", zone.settings().name(), url,
								ex.toString());
					}
				}
				return serve(exchange, zone, entry, CacheResult.STALE,
						"hit; ttl=" + ttl(meta, now) + "; detail=stale-while-revalidate");
			}
			lookup.stale = entry;
			lookup.forward = revalidate ? "request" : "stale";
			return forwarder.forward(lookup);
		}
		if (HttpMethod.HEAD.equals(method)) {
			return forwarder.forward(lookup);
		}
		String flightKey = url + '\n' + extras + CachePolicy.variant(zone.vary(url), request);
		CompletableFuture<Void> mine = new CompletableFuture<>();
		CompletableFuture<Void> other = zone.join(flightKey, mine);
		if (other == null) {
			// landed as soon as the answer is known to be stored or not, and whatever
			// happens at the latest when the exchange ends
			lookup.landing = () -> zone.land(flightKey, mine);
			return forwarder.forward(lookup).doFinally((signal) -> zone.land(flightKey, mine));
		}
		// another request for the same entry is upstream: wait for it (bounded), then
		// answer from what it stored, or go upstream too
		return Mono.fromFuture(other, true)
			.timeout(zone.settings().collapseTimeout())
			.onErrorResume((error) -> Mono.empty())
			.then(Mono.defer(() -> {
				long later = zone.clock().millis();
				CacheEntry landed = zone.lookup(url, extras, request);
				if (landed != null && landed.meta.fresh(later)) {
					return serve(exchange, zone, landed, CacheResult.COLLAPSED,
							"fwd=miss; collapsed; ttl=" + ttl(landed.meta, later));
				}
				lookup.collapsed = true;
				return forwarder.forward(lookup);
			}));
	}

	/**
	 * The upstream request's headers of a cached request: when a stale entry is
	 * revalidated, the client's own preconditions and range give way to the entry's
	 * validators (the cache answers the client's from the result).
	 * @param lookup the request's cache state
	 * @param out the headers going upstream
	 */
	public void upstreamHeaders(Lookup lookup, HttpHeaders out) {
		if (lookup.zone == null) {
			return;
		}
		lookup.requestTime = lookup.zone.clock().millis();
		CacheEntry stale = lookup.stale;
		if (stale == null || !stale.meta.hasValidator()) {
			return;
		}
		for (CharSequence name : CLIENT_CONDITIONALS) {
			out.remove(name);
		}
		CacheEntry.Meta meta = stale.meta;
		if (meta.etag() != null) {
			out.set(HttpHeaderNames.IF_NONE_MATCH, meta.etag());
		}
		if (meta.lastModified() >= 0) {
			out.set(HttpHeaderNames.IF_MODIFIED_SINCE, DateFormatter.format(new Date(meta.lastModified())));
		}
		lookup.conditional = true;
	}

	/**
	 * An answer from the cache in place of the server's response: the stored body after
	 * the server's 304 to a revalidation (the entry's headers refreshed), or a stale
	 * entry when the server answered 5xx within its {@code stale-if-error}.
	 * @param lookup the request's cache state
	 * @param exchange the request
	 * @param status the server's status
	 * @param upstream the server's headers
	 * @param client the server's headers as the client would get them
	 * @return the answer, or {@code null} to forward the server's response
	 */
	public @Nullable Mono<Void> instead(Lookup lookup, Exchange exchange, int status, HttpHeaders upstream,
			HttpHeaders client) {
		CacheEntry stale = lookup.stale;
		CacheZone zone = lookup.zone;
		if (stale == null || zone == null) {
			return null;
		}
		long now = zone.clock().millis();
		if (status == 304 && lookup.conditional) {
			stale.meta = CachePolicy.refresh(stale, HttpMethod.GET, exchange.request().requestHeaders(), upstream,
					client, lookup.rule, zone.settings(), lookup.requestTime, now);
			if (stale.meta.lifetime() == 0 && stale.meta.noCache() && stale.meta.mustRevalidate()) {
				zone.remove(stale);
			}
			return serve(exchange, zone, stale, CacheResult.REVALIDATED,
					"fwd=" + lookup.forward + "; fwd-status=304; ttl=" + ttl(stale.meta, now));
		}
		if (status >= 500 && usableOnError(stale, now)) {
			return serve(exchange, zone, stale, CacheResult.STALE,
					"fwd=" + lookup.forward + "; fwd-status=" + status + "; detail=stale-if-error");
		}
		return null;
	}

	/**
	 * The answer when every server failed: a stale entry within its
	 * {@code stale-if-error}.
	 * @param lookup the request's cache state
	 * @param exchange the request
	 * @return the answer, or {@code null} for the proxy's error
	 */
	public @Nullable Mono<Void> failed(Lookup lookup, Exchange exchange) {
		CacheEntry stale = lookup.stale;
		CacheZone zone = lookup.zone;
		if (zone == null || exchange.response().hasSentHeaders()) {
			return null;
		}
		if (stale != null && usableOnError(stale, zone.clock().millis())) {
			return serve(exchange, zone, stale, CacheResult.STALE, "fwd=" + lookup.forward + "; detail=stale-if-error");
		}
		record(zone, lookup.store ? CacheResult.MISS : CacheResult.BYPASS);
		exchange.response().responseHeaders().set(CACHE_STATUS, name(zone) + "; fwd=" + lookup.forward);
		return null;
	}

	private static boolean usableOnError(CacheEntry entry, long now) {
		CacheEntry.Meta meta = entry.meta;
		return !meta.mustRevalidate() && !meta.noCache() && meta.staleness(now) < meta.staleIfError();
	}

	/**
	 * The server's response body on its way to the client: stored when the rules allow,
	 * and {@code Cache-Status} set; an unsafe method's success invalidates its URI and
	 * its {@code Location} and {@code Content-Location}.
	 * @param lookup the request's cache state
	 * @param exchange the request
	 * @param status the server's status
	 * @param upstream the server's headers
	 * @param out the client's response headers, filled
	 * @param body the body going to the client
	 * @return the body to send
	 */
	public Publisher<ByteBuf> forwarding(Lookup lookup, Exchange exchange, int status, HttpHeaders upstream,
			HttpHeaders out, Publisher<ByteBuf> body) {
		CacheZone zone = lookup.zone;
		if (zone == null) {
			return body;
		}
		String name = name(zone);
		if (!HttpMethod.GET.equals(lookup.method) && !HttpMethod.HEAD.equals(lookup.method)) {
			if (lookup.invalidate && status < 400) {
				invalidate(lookup, out);
			}
			out.set(CACHE_STATUS, name + "; fwd=method");
			record(zone, CacheResult.BYPASS);
			return body;
		}
		long now = zone.clock().millis();
		String fwd = "fwd=" + lookup.forward + ((lookup.stale != null) ? "; fwd-status=" + status : "")
				+ (lookup.collapsed ? "; collapsed" : "");
		CachePolicy.Verdict verdict = lookup.store
				? CachePolicy.evaluate(lookup.method, exchange.request().requestHeaders(), status, upstream, out,
						lookup.rule, zone.settings(), lookup.requestTime, now)
				: CachePolicy.Verdict.no("");
		long length = contentLength(upstream);
		CacheEntry.Meta meta = verdict.meta();
		if (meta != null && length > zone.settings().maxEntrySize()) {
			meta = null;
			verdict = CachePolicy.Verdict.no("too-large");
		}
		record(zone, lookup.store ? CacheResult.MISS : CacheResult.BYPASS);
		if (meta == null) {
			// the waiters, if any, go upstream themselves now
			lookup.land();
			if (lookup.stale != null && status < 400) {
				// the server's new answer replaces the stored one, which is obsolete
				zone.remove(lookup.stale);
			}
			out.set(CACHE_STATUS,
					name + "; " + fwd + (verdict.reason().isEmpty() ? "" : "; detail=" + verdict.reason()));
			return body;
		}
		out.set(CACHE_STATUS, name + "; " + fwd + ((length >= 0) ? "; stored" : "") + "; ttl=" + ttl(meta, now));
		CacheEntry.Meta stored = meta;
		List<String> vary = verdict.vary();
		HttpHeaders request = exchange.request().requestHeaders();
		BodyParts parts = new BodyParts(zone.settings().maxEntrySize());
		return Flux.from(body).doOnNext(parts::add).doOnComplete(() -> {
			if (parts.fits()) {
				zone.store(lookup.url, lookup.extras, vary, request, status, parts.buffers, parts.length, stored);
			}
			lookup.land();
		}).doFinally((signal) -> parts.release());
	}

	/**
	 * The background refresh's response: a 304 refreshes the entry; a storable response
	 * replaces it; any other success removes it.
	 * @param lookup the refresh's cache state
	 * @param request the original request's headers
	 * @param status the server's status
	 * @param upstream the server's headers
	 * @param client the server's headers as clients get them
	 * @param body the whole body
	 */
	public void refreshed(Lookup lookup, HttpHeaders request, int status, HttpHeaders upstream, HttpHeaders client,
			ByteBuf body) {
		CacheZone zone = lookup.zone;
		CacheEntry stale = lookup.stale;
		if (zone == null || stale == null) {
			return;
		}
		long now = zone.clock().millis();
		if (status == 304 && lookup.conditional) {
			stale.meta = CachePolicy.refresh(stale, HttpMethod.GET, request, upstream, client, lookup.rule,
					zone.settings(), lookup.requestTime, now);
			return;
		}
		if (status >= 500) {
			return;
		}
		CachePolicy.Verdict verdict = CachePolicy.evaluate(HttpMethod.GET, request, status, upstream, client,
				lookup.rule, zone.settings(), lookup.requestTime, now);
		if (verdict.meta() != null && body.readableBytes() <= zone.settings().maxEntrySize()) {
			zone.store(lookup.url, lookup.extras, verdict.vary(), request, status, List.of(body), body.readableBytes(),
					verdict.meta());
		}
		else if (status < 400) {
			zone.remove(stale);
		}
	}

	/**
	 * The refresh ended, however: another may start.
	 * @param lookup the refresh's cache state
	 */
	public void refreshEnded(Lookup lookup) {
		if (lookup.stale != null) {
			lookup.stale.refreshing.set(false);
		}
	}

	private void invalidate(Lookup lookup, HttpHeaders out) {
		CacheZone zone = lookup.zone;
		zone.invalidate(lookup.url);
		int space = lookup.url.indexOf(' ');
		String site = lookup.url.substring(0, space + 1);
		String url = lookup.url.substring(space + 1);
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
				// only the same origin (RFC 9111 §4.4): another host's entries are not
				// this request's to remove
				String target = value.substring(origin.length());
				zone.invalidate(site + origin + (target.isEmpty() ? "/" : target));
			}
		}
	}

	/** Answer from an entry, counted. */
	private Mono<Void> serve(Exchange exchange, CacheZone zone, CacheEntry entry, CacheResult result, String status) {
		record(zone, result);
		return EntryAnswer.send(exchange, entry, name(zone) + "; " + status, zone.clock().millis());
	}

	private void record(CacheZone zone, CacheResult result) {
		zone.count(result);
		try {
			this.listener.onCache(zone.settings().name(), result);
		}
		catch (RuntimeException ex) {
			logger.warn("proxy listener failed: {}", ex.toString());
		}
	}

	private static long ttl(CacheEntry.Meta meta, long now) {
		return Math.floorDiv(meta.lifetime() - meta.age(now), 1000);
	}

	static String name(CacheZone zone) {
		return "capuchin/" + zone.settings().name();
	}

	private static long contentLength(HttpHeaders headers) {
		String value = headers.get(HttpHeaderNames.CONTENT_LENGTH);
		if (value == null || headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
			return -1;
		}
		try {
			return Long.parseLong(value.trim());
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	/** A cached request's state through the proxy. */
	public static final class Lookup {

		final @Nullable CacheZone zone;

		final CacheRule rule;

		final String url;

		final String extras;

		final HttpMethod method;

		@Nullable CacheEntry stale;

		boolean conditional;

		boolean store = true;

		boolean invalidate;

		boolean collapsed;

		boolean background;

		String forward = "miss";

		long requestTime;

		@Nullable Runnable landing;

		Lookup(@Nullable CacheZone zone, CacheRule rule, String url, String extras, HttpMethod method) {
			this.zone = zone;
			this.rule = rule;
			this.url = url;
			this.extras = extras;
			this.method = method;
		}

		/** Release the requests waiting for this one's answer (once). */
		void land() {
			Runnable land = this.landing;
			if (land != null) {
				this.landing = null;
				land.run();
			}
		}

		/**
		 * The zone's largest entry, for a refresh's bounded read.
		 * @return bytes
		 */
		public long maxEntrySize() {
			return (this.zone != null) ? this.zone.settings().maxEntrySize() : 0;
		}

	}

}
