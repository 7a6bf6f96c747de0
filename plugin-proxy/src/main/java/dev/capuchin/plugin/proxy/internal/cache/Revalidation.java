package dev.capuchin.plugin.proxy.internal.cache;

import java.util.Date;
import java.util.List;

import dev.capuchin.core.spi.Exchange;
import dev.capuchin.plugin.proxy.CacheResult;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Stale entries: the conditional request that revalidates one, the stored body served
 * after the server's 304, stale serving when servers fail ({@code stale-if-error}), and
 * the background refresh of {@code stale-while-revalidate}.
 */
final class Revalidation {

	/** Preconditions and ranges the cache answers itself when it revalidates. */
	private static final List<CharSequence> CLIENT_CONDITIONALS = List.of(HttpHeaderNames.IF_MATCH,
			HttpHeaderNames.IF_NONE_MATCH, HttpHeaderNames.IF_MODIFIED_SINCE, HttpHeaderNames.IF_UNMODIFIED_SINCE,
			HttpHeaderNames.IF_RANGE, HttpHeaderNames.RANGE);

	private final CacheAnswers answers;

	Revalidation(CacheAnswers answers) {
		this.answers = answers;
	}

	/** The entry's validators in place of the client's preconditions and range. */
	void upstreamHeaders(Lookup lookup, HttpHeaders out) {
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
	 * The stored body after a 304, or a stale entry after a 5xx within stale-if-error.
	 */
	@Nullable Mono<Void> instead(Lookup lookup, Exchange exchange, int status, HttpHeaders upstream, HttpHeaders client) {
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
			Mono<Void> answer = this.answers.serve(exchange, zone, stale, CacheResult.REVALIDATED,
					"fwd=" + lookup.forward + "; fwd-status=304; ttl=" + CacheAnswers.ttl(stale.meta, now));
			if (answer == null) {
				// the server confirmed a body that was lost meanwhile (its file damaged):
				// this request fails, the next one goes upstream without an entry
				exchange.attribute(Exchange.ERROR_REASON,
						"cache " + zone.settings().name() + ": the revalidated entry's file is damaged");
				return exchange.sendError(502);
			}
			return answer;
		}
		if (status >= 500 && usableOnError(stale, now)) {
			return this.answers.serve(exchange, zone, stale, CacheResult.STALE,
					"fwd=" + lookup.forward + "; fwd-status=" + status + "; detail=stale-if-error");
		}
		return null;
	}

	/** A stale entry within its stale-if-error when every server failed. */
	@Nullable Mono<Void> failed(Lookup lookup, Exchange exchange) {
		CacheEntry stale = lookup.stale;
		CacheZone zone = lookup.zone;
		if (zone == null || exchange.response().hasSentHeaders()) {
			return null;
		}
		if (stale != null && usableOnError(stale, zone.clock().millis())) {
			Mono<Void> answer = this.answers.serve(exchange, zone, stale, CacheResult.STALE,
					"fwd=" + lookup.forward + "; detail=stale-if-error");
			if (answer != null) {
				return answer;
			}
		}
		this.answers.record(zone, lookup.store ? CacheResult.MISS : CacheResult.BYPASS);
		exchange.response()
			.responseHeaders()
			.set(ProxyCache.CACHE_STATUS, CacheAnswers.name(zone) + "; fwd=" + lookup.forward);
		return null;
	}

	/** A background refresh's response: refreshes, replaces or removes the entry. */
	void refreshed(Lookup lookup, HttpHeaders request, int status, HttpHeaders upstream, HttpHeaders client,
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

	void refreshEnded(Lookup lookup) {
		if (lookup.stale != null) {
			lookup.stale.refreshing.set(false);
		}
	}

	static boolean usableOnError(CacheEntry entry, long now) {
		CacheEntry.Meta meta = entry.meta;
		return !meta.mustRevalidate() && !meta.noCache() && meta.staleness(now) < meta.staleIfError();
	}

}
