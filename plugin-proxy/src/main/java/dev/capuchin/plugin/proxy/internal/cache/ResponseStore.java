package dev.capuchin.plugin.proxy.internal.cache;

import java.util.List;

import dev.capuchin.core.spi.Exchange;
import dev.capuchin.plugin.proxy.CacheResult;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

/**
 * The server's response on its way to the client: judged by {@link CachePolicy}, its
 * {@code Cache-Status} set, and its body gathered as it streams and stored once complete
 * when the rules allow; an unsafe method's success invalidates.
 */
final class ResponseStore {

	private final CacheAnswers answers;

	ResponseStore(CacheAnswers answers) {
		this.answers = answers;
	}

	Publisher<ByteBuf> forwarding(Lookup lookup, Exchange exchange, int status, HttpHeaders upstream, HttpHeaders out,
			Publisher<ByteBuf> body) {
		CacheZone zone = lookup.zone;
		if (zone == null) {
			return body;
		}
		String name = CacheAnswers.name(zone);
		if (!HttpMethod.GET.equals(lookup.method) && !HttpMethod.HEAD.equals(lookup.method)) {
			if (lookup.invalidate && status < 400) {
				Invalidation.invalidate(zone, lookup.url, out);
			}
			out.set(ProxyCache.CACHE_STATUS, name + "; fwd=method");
			this.answers.record(zone, CacheResult.BYPASS);
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
		this.answers.record(zone, lookup.store ? CacheResult.MISS : CacheResult.BYPASS);
		if (meta == null) {
			// the waiters, if any, go upstream themselves now
			lookup.land();
			if (lookup.stale != null && status < 400) {
				// the server's new answer replaces the stored one, which is obsolete
				zone.remove(lookup.stale);
			}
			out.set(ProxyCache.CACHE_STATUS,
					name + "; " + fwd + (verdict.reason().isEmpty() ? "" : "; detail=" + verdict.reason()));
			return body;
		}
		out.set(ProxyCache.CACHE_STATUS,
				name + "; " + fwd + ((length >= 0) ? "; stored" : "") + "; ttl=" + CacheAnswers.ttl(meta, now));
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

}
