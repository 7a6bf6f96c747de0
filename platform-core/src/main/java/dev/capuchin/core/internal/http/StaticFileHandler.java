package dev.capuchin.core.internal.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import dev.capuchin.core.internal.fdt.FdtFileRegion;
import dev.capuchin.core.internal.fdt.OpenFile;
import dev.capuchin.core.internal.fdt.OpenFileTable;
import dev.capuchin.core.spi.Site;
import dev.capuchin.core.spi.SiteFile;
import dev.capuchin.core.spi.Exchange;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AsciiString;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Stage {@link dev.capuchin.core.spi.Stage#HANDLE}, last handler: static files from the
 * site's document root. Maps the normalized path to a file without leaving the root
 * (symbolic links only where the site allows them, dot-files hidden unless allowed),
 * redirects directories to their slash URL, serves index files, and answers GET and HEAD
 * with validators, conditional requests, single and multiple byte ranges and
 * precompressed siblings.
 */
public final class StaticFileHandler {

	/** {@code Vary}'s value, in the case the direct path writes it too. */
	private static final AsciiString VARY_ACCEPT_ENCODING = AsciiString.cached("Accept-Encoding");

	/**
	 * Files up to this size are kept in memory by the workers' open-file tables (bounded
	 * by the tables' slots: 64 × 8 × 16 KiB = 8 MiB per worker by default) and sent with
	 * their headers in one write.
	 */
	public static final int SMALL_FILE = 16 * 1024;

	/** Methods a static file answers. */
	public static final String ALLOW = "GET, HEAD, OPTIONS";

	private StaticFileHandler() {
	}

	/**
	 * Serve a request from the site's document root.
	 * @param exchange the request
	 * @param channel the channel the response goes out on
	 * @param fdt the worker's open-file table
	 * @return completion of the response
	 */
	public static Mono<Void> handle(Exchange exchange, Channel channel, OpenFileTable fdt) {
		HttpMethod method = exchange.request().method();
		HttpServerResponse response = exchange.response();
		if (HttpMethod.OPTIONS.equals(method)) {
			response.status(HttpResponseStatus.NO_CONTENT).header(HttpHeaderNames.ALLOW, ALLOW);
			return response.send();
		}
		if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
			response.header(HttpHeaderNames.ALLOW, ALLOW);
			return ErrorResponses.send(exchange, 405);
		}
		Site site = exchange.site();
		String path = exchange.path();
		long validNanos = fdt.settings().valid().toNanos();
		ResolvedFiles resolvedFiles = (validNanos > 0) ? ResolvedFiles.ofThisThread() : null;
		FileInfo cached = (resolvedFiles != null) ? resolvedFiles.get(site, path, validNanos) : null;
		if (cached != null) {
			try {
				return FileResponder.respond(exchange, channel, fdt, cached);
			}
			catch (IOException ex) {
				// gone or replaced since it was resolved: resolve it again
				resolvedFiles.remove(site, path);
			}
		}
		try {
			SiteFile resolved = DocumentRoot.resolve(site, path);
			if (!resolved.found()) {
				return ErrorResponses.send(exchange, resolved.status());
			}
			BasicFileAttributes attributes = resolved.attributes();
			if (attributes.isDirectory()) {
				if (!path.endsWith("/")) {
					return redirectToDirectory(exchange);
				}
				resolved = DocumentRoot.index(site, resolved.file());
				if (resolved == null || !resolved.found()) {
					return ErrorResponses.send(exchange, 403);
				}
			}
			else if (!attributes.isRegularFile() || path.endsWith("/")) {
				return ErrorResponses.send(exchange, attributes.isRegularFile() ? 404 : 403);
			}
			FileInfo info = FileInfo.of(resolved.file(), resolved.attributes());
			if (resolvedFiles != null) {
				resolvedFiles.put(site, path, info);
			}
			return FileResponder.respond(exchange, channel, fdt, info);
		}
		catch (IOException ex) {
			return Mono.error(ex);
		}
	}

	/**
	 * A 301 to the directory's URL with a slash, from the normalized path encoded again:
	 * the request's own path may be decoded or climb with '..'.
	 */
	private static Mono<Void> redirectToDirectory(Exchange exchange) {
		String query = exchange.query();
		String location = RequestPath.encode(exchange.path() + "/") + (query.isEmpty() ? "" : "?" + query);
		exchange.response().header(HttpHeaderNames.LOCATION, location);
		return ErrorResponses.send(exchange, 301);
	}

	/**
	 * Whether a channel can carry a zero-copy file region: not over TLS, not as an HTTP/2
	 * stream, and not through a compressor.
	 * @param channel the channel
	 * @return {@code true} when {@code sendfile(2)} can be used
	 */
	public static boolean canSendFileRegion(Channel channel) {
		if (channel instanceof Http2StreamChannel) {
			return false;
		}
		return channel.pipeline().get(SslHandler.class) == null
				&& channel.pipeline().get("reactor.left.compressionHandler") == null;
	}

	/** Picks the representation, evaluates the request against it and sends it. */
	static final class FileResponder {

		private FileResponder() {
		}

		static Mono<Void> respond(Exchange exchange, Channel channel, OpenFileTable fdt, FileInfo asked)
				throws IOException {
			Site site = exchange.site();
			HttpHeaders requestHeaders = exchange.request().requestHeaders();
			HttpServerResponse response = exchange.response();
			FileInfo sent = asked;
			if (site.precompressed()) {
				// the answer may depend on Accept-Encoding on every path of such a
				// site (as nginx's gzip_vary); siblings are looked for only when the
				// client accepts a coding, so the common request costs no extra stat
				response.header(HttpHeaderNames.VARY, VARY_ACCEPT_ENCODING);
				String accepted = requestHeaders.get(HttpHeaderNames.ACCEPT_ENCODING);
				Precompressed variant = (accepted != null) ? Precompressed.find(asked.file(), accepted) : null;
				if (variant != null) {
					sent = FileInfo.of(variant.path(), variant.attributes(), asked.contentType(), variant.encoding());
				}
			}
			long size = sent.size();
			long modified = sent.modified();
			String etag = sent.etag();
			String contentType = sent.contentType();
			response.responseHeaders().add(sent.validators());
			switch (Preconditions.evaluate(requestHeaders, etag, modified)) {
				case NOT_MODIFIED -> {
					response.status(HttpResponseStatus.NOT_MODIFIED);
					return response.send();
				}
				case FAILED -> {
					return ErrorResponses.send(exchange, 412);
				}
				default -> {
				}
			}
			boolean head = HttpMethod.HEAD.equals(exchange.request().method());
			List<ByteRange> ranges = List.of();
			String rangeHeader = requestHeaders.get(HttpHeaderNames.RANGE);
			if (rangeHeader != null && Preconditions.rangeApplies(requestHeaders, etag, modified)) {
				ByteRange.Parsed parsed = ByteRange.parse(rangeHeader, size);
				if (parsed.unsatisfiable()) {
					response.header(HttpHeaderNames.CONTENT_RANGE, "bytes */" + size);
					return ErrorResponses.send(exchange, 416);
				}
				ranges = parsed.ranges();
			}
			FileBody body;
			long length;
			if (ranges.size() == 1) {
				ByteRange range = ranges.get(0);
				response.status(HttpResponseStatus.PARTIAL_CONTENT);
				response.header(HttpHeaderNames.CONTENT_RANGE, range.contentRange(size));
				response.header(HttpHeaderNames.CONTENT_TYPE, contentType);
				length = range.length();
				body = FileBody.range(range.first(), range.length());
			}
			else if (ranges.size() > 1) {
				String boundary = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
				List<byte[]> partHeaders = new ArrayList<>();
				length = 0;
				for (ByteRange range : ranges) {
					byte[] header = ("\r\n--" + boundary + "\r\nContent-Type: " + contentType + "\r\nContent-Range: "
							+ range.contentRange(size) + "\r\n\r\n")
						.getBytes(StandardCharsets.US_ASCII);
					partHeaders.add(header);
					length += header.length + range.length();
				}
				byte[] closing = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
				length += closing.length;
				response.status(HttpResponseStatus.PARTIAL_CONTENT);
				response.header(HttpHeaderNames.CONTENT_TYPE, "multipart/byteranges; boundary=" + boundary);
				body = FileBody.multipart(ranges, partHeaders, closing);
			}
			else {
				response.responseHeaders().add(sent.whole());
				length = size;
				body = FileBody.range(0, size);
			}
			if (!ranges.isEmpty()) {
				response.header(HttpHeaderNames.CONTENT_LENGTH, Long.toString(length));
			}
			if (head || length == 0) {
				return response.send();
			}
			exchange.bytesSent(length);
			Path target = sent.file();
			// HTTP/1.0 keep-alive keeps the region path: Reactor Netty's one-write
			// response does
			// not mark the last of a connection's allowed requests with Connection: close
			// there
			if (site.fdt() && body.isSingleRange() && size <= SMALL_FILE
					&& !HttpVersion.HTTP_1_0.equals(exchange.request().version())) {
				OpenFile open = open(fdt, site, target, size, modified);
				ByteBuf contents = open.contents(SMALL_FILE, channel.alloc());
				if (contents != null) {
					// a small file: headers and body in one write, from the worker's copy
					ByteBuf slice = body.slice(contents);
					open.release();
					return response.sendObject(slice).then();
				}
				open.release();
			}
			if (site.fdt() && canSendFileRegion(channel)) {
				if (body.isSingleRange()) {
					// the common case: one region, released by the channel once written,
					// or by
					// Reactor Netty if the response is abandoned first
					FdtFileRegion region = body.region(open(fdt, site, target, size, modified));
					return response.sendObject(region).then();
				}
				return response
					.then(Mono.using(() -> open(fdt, site, target, size, modified),
							(open) -> body.writeZeroCopy(channel, open), OpenFile::release))
					.then();
			}
			return response
				.send(Flux.using(() -> open(fdt, site, target, size, modified),
						(open) -> body.copy(open, channel.alloc()), OpenFile::release))
				.then();
		}

		/**
		 * A file's descriptor: shared through the worker's table where the site uses it,
		 * else private to the one request.
		 */
		static OpenFile open(OpenFileTable fdt, Site site, Path file, long size, long modified) throws IOException {
			return site.fdt() ? fdt.acquire(file, size, modified) : fdt.openPrivate(file, size, modified);
		}

	}

}
