package dev.capuchin.plugin.proxy.internal.cache;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.capuchin.core.spi.Exchange;
import dev.capuchin.plugin.proxy.CacheResult;
import dev.capuchin.plugin.proxy.ProxyListener;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The cache's part of a proxied request: looks the request up, answers hits (with
 * {@code Age}, and the client's own conditional and range requests) from the stored
 * buffer or file on the request's event loop, collapses concurrent misses, and otherwise
 * lets the proxy go upstream with a {@link Lookup} whose hooks revalidate
 * ({@link Revalidation}), store ({@link ResponseStore}), serve stale and invalidate
 * ({@link Invalidation}). Every answer of a cached location carries {@code Cache-Status}
 * (RFC 9211), named {@code capuchin/<zone>}.
 */
public final class ProxyCache {

	/** The response header saying what the cache did (RFC 9211). */
	public static final String CACHE_STATUS = "Cache-Status";

	private static final Logger logger = LoggerFactory.getLogger(ProxyCache.class);

	/** Methods that invalidate what is stored for their URI (RFC 9111 §4.4). */
	private static final Set<HttpMethod> UNSAFE = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE,
			HttpMethod.PATCH);

	private final Map<String, CacheZone> zones;

	private final CacheAnswers answers;

	private final Revalidation revalidation;

	private final ResponseStore store;

	/**
	 * Create the cache over the node's zones.
	 * @param zones the zones by name
	 * @param listener told of every request's result
	 */
	public ProxyCache(Map<String, CacheZone> zones, ProxyListener listener) {
		this.zones = Map.copyOf(zones);
		this.answers = new CacheAnswers(listener);
		this.revalidation = new Revalidation(this.answers);
		this.store = new ResponseStore(this.answers);
	}

	/**
	 * The zones by name.
	 * @return the zones
	 */
	public Map<String, CacheZone> zones() {
		return this.zones;
	}

	/**
	 * Stop the zones' disk writes (those queued finish, for a while) and close the open
	 * files of disk entries.
	 */
	public void close() {
		for (CacheZone zone : this.zones.values()) {
			zone.close();
		}
		this.answers.close();
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
			Mono<Void> answer = fromEntry(exchange, zone, entry, requested, lookup, forwarder, now);
			if (answer != null) {
				return answer;
			}
			// its file was damaged: dropped, and the request is a miss
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
					Mono<Void> answer = serve(exchange, zone, landed, CacheResult.COLLAPSED,
							"fwd=miss; collapsed; ttl=" + ttl(landed.meta, later));
					if (answer != null) {
						return answer;
					}
				}
				lookup.collapsed = true;
				return forwarder.forward(lookup);
			}));
	}

	/**
	 * A request with an entry: answered from it when fresh (or stale within
	 * {@code stale-while-revalidate}, refreshed in the background), else forwarded to
	 * revalidate it.
	 * @return the answer, or {@code null} when the entry's file turned out damaged
	 */
	private @Nullable Mono<Void> fromEntry(Exchange exchange, CacheZone zone, CacheEntry entry, CacheControl requested,
			Lookup lookup, Forwarder forwarder, long now) {
		HttpHeaders request = exchange.request().requestHeaders();
		CacheEntry.Meta meta = entry.meta;
		long maxAge = requested.seconds("max-age");
		boolean revalidate = requested.has("no-cache") || (maxAge >= 0 && meta.age(now) >= maxAge * 1000)
				|| request.contains(HttpHeaderNames.PRAGMA, "no-cache", true);
		if (!revalidate && meta.fresh(now)) {
			return serve(exchange, zone, entry, CacheResult.HIT, "hit; ttl=" + ttl(meta, now));
		}
		if (!revalidate && !meta.mustRevalidate() && !meta.noCache()
				&& meta.staleness(now) < meta.staleWhileRevalidate()) {
			Mono<Void> stale = serve(exchange, zone, entry, CacheResult.STALE,
					"hit; ttl=" + ttl(meta, now) + "; detail=stale-while-revalidate");
			if (stale != null && entry.refreshing.compareAndSet(false, true)) {
				Lookup refresh = new Lookup(zone, lookup.rule, lookup.url, lookup.extras, HttpMethod.GET);
				refresh.stale = entry;
				refresh.forward = "stale";
				refresh.background = true;
				try {
					forwarder.refresh(refresh);
				}
				catch (RuntimeException ex) {
					entry.refreshing.set(false);
					logger.warn("cache {}: background refresh of {} failed: {}", zone.settings().name(), lookup.url,
							ex.toString());
				}
			}
			return stale;
		}
		lookup.stale = entry;
		lookup.forward = revalidate ? "request" : "stale";
		return forwarder.forward(lookup);
	}

	/**
	 * The upstream request's headers of a cached request: when a stale entry is
	 * revalidated, the client's own preconditions and range give way to the entry's
	 * validators (the cache answers the client's from the result).
	 * @param lookup the request's cache state
	 * @param out the headers going upstream
	 */
	public void upstreamHeaders(Lookup lookup, HttpHeaders out) {
		this.revalidation.upstreamHeaders(lookup, out);
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
		return this.revalidation.instead(lookup, exchange, status, upstream, client);
	}

	/**
	 * The answer when every server failed: a stale entry within its
	 * {@code stale-if-error}.
	 * @param lookup the request's cache state
	 * @param exchange the request
	 * @return the answer, or {@code null} for the proxy's error
	 */
	public @Nullable Mono<Void> failed(Lookup lookup, Exchange exchange) {
		return this.revalidation.failed(lookup, exchange);
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
		return this.store.forwarding(lookup, exchange, status, upstream, out, body);
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
		this.revalidation.refreshed(lookup, request, status, upstream, client, body);
	}

	/**
	 * The refresh ended, however: another may start.
	 * @param lookup the refresh's cache state
	 */
	public void refreshEnded(Lookup lookup) {
		this.revalidation.refreshEnded(lookup);
	}

	private @Nullable Mono<Void> serve(Exchange exchange, CacheZone zone, CacheEntry entry, CacheResult result,
			String status) {
		return this.answers.serve(exchange, zone, entry, result, status);
	}

	private static long ttl(CacheEntry.Meta meta, long now) {
		return CacheAnswers.ttl(meta, now);
	}

}
