package dev.capuchin.plugin.proxy.internal.cache;

import dev.capuchin.core.internal.http.ByteRange;
import dev.capuchin.core.internal.http.Preconditions;
import dev.capuchin.core.spi.Exchange;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;

/**
 * An answer from a stored entry, on the request's event loop: its status and headers with
 * {@code Age} and {@code Cache-Status}, and its body as a duplicate of the entry's buffer
 * (a slice for a range) or a range of its file on disk, or 304, 412, 206, 416 for the
 * client's own preconditions and range (RFC 9110 §13, §14).
 * <p>
 * The preconditions and ranges are core's static-file rules
 * ({@code core.internal.http.Preconditions}, {@code ByteRange}), used as they are rather
 * than copied: they belong in {@code core.spi} as a small helper for plugins that answer
 * from a representation of their own.
 */
final class EntryAnswer {

	/** An entity tag no request can name: for entries without one. */
	private static final String NO_TAG = "\"\u0000\"";

	private EntryAnswer() {
	}

	/**
	 * Answer from an entry.
	 * @param exchange the request
	 * @param entry the entry
	 * @param file the entry's file, opened, for an entry on disk (released or handed to
	 * the response here)
	 * @param cacheStatus the {@code Cache-Status} value
	 * @param now the zone's clock, milliseconds
	 * @return completes when the answer is sent
	 */
	static Mono<Void> send(Exchange exchange, CacheEntry entry, DiskFiles.@Nullable Body file, String cacheStatus,
			long now) {
		try {
			return answer(exchange, entry, file, cacheStatus, now);
		}
		finally {
			// once sending, the response holds the file; on every other answer it goes
			// back here
			if (file != null) {
				file.release();
			}
		}
	}

	private static Mono<Void> answer(Exchange exchange, CacheEntry entry, DiskFiles.@Nullable Body file,
			String cacheStatus, long now) {
		HttpServerResponse response = exchange.response();
		HttpHeaders out = response.responseHeaders();
		CacheEntry.Meta meta = entry.meta;
		out.remove(HttpHeaderNames.CONTENT_TYPE);
		for (String name : meta.headers().names()) {
			out.set(name, meta.headers().getAll(name));
		}
		out.set(HttpHeaderNames.AGE, Long.toString(meta.age(now) / 1000));
		out.set(ProxyCache.CACHE_STATUS, cacheStatus);
		HttpHeaders request = exchange.request().requestHeaders();
		boolean head = HttpMethod.HEAD.equals(exchange.request().method());
		long size = entry.bodyLength();
		if (entry.status >= 200 && entry.status < 300) {
			String etag = tag(meta.etag());
			// an entry without Last-Modified (-1): the date conditions are ignored
			switch (Preconditions.evaluate(request, etag, meta.lastModified())) {
				case NOT_MODIFIED -> {
					out.remove(HttpHeaderNames.CONTENT_LENGTH);
					response.status(HttpResponseStatus.NOT_MODIFIED);
					return response.send();
				}
				case FAILED -> {
					return exchange.sendError(412);
				}
				default -> {
				}
			}
		}
		response.status(entry.status);
		long first = 0;
		long length = size;
		String range = request.get(HttpHeaderNames.RANGE);
		if (entry.status == 200) {
			out.set(HttpHeaderNames.ACCEPT_RANGES, "bytes");
			if (range != null && Preconditions.rangeApplies(request, tag(meta.etag()), meta.lastModified())) {
				ByteRange.Parsed parsed = ByteRange.parse(range, size);
				if (parsed.unsatisfiable()) {
					out.set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + size);
					return exchange.sendError(416);
				}
				// several ranges are answered whole, which RFC 9110 §14.2 allows: a
				// multipart body would be built per hit
				if (parsed.ranges().size() == 1) {
					ByteRange one = parsed.ranges().get(0);
					response.status(HttpResponseStatus.PARTIAL_CONTENT);
					out.set(HttpHeaderNames.CONTENT_RANGE, one.contentRange(size));
					first = one.first();
					length = one.length();
				}
			}
		}
		out.set(HttpHeaderNames.CONTENT_LENGTH, Long.toString(length));
		if (head || length == 0) {
			return response.send();
		}
		exchange.bytesSent(length);
		if (file != null) {
			return file.send(response, first, length);
		}
		ByteBuf body = entry.body;
		return response.sendObject(body.slice((int) first, (int) length)).then();
	}

	private static String tag(@Nullable String etag) {
		if (etag == null) {
			return NO_TAG;
		}
		// a weak tag still matches If-None-Match (weak comparison); If-Match and
		// If-Range compare strongly and the W/ form never equals a strong tag
		return etag.startsWith("W/") ? etag.substring(2) : etag;
	}

}
