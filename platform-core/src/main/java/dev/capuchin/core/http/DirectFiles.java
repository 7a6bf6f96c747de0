package dev.capuchin.core.http;

import java.io.IOException;

import dev.capuchin.core.fdt.FdtFileRegion;
import dev.capuchin.core.fdt.OpenFile;
import dev.capuchin.core.fdt.OpenFileTable;
import dev.capuchin.core.site.Site;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.ReadOnlyHttpHeaders;

/**
 * The kernel's direct path for the most common request of a static site: a plain
 * {@code GET} or {@code HEAD} of a file that a request of the same worker resolved less
 * than {@code fdt.valid} ago. The answer is the one {@link StaticFileHandler} gives the
 * same request (the file's validators, type and length, its body from the worker's
 * open-file table), written straight to the connection's HTTP codec.
 * <p>
 * Anything else, such as a path not resolved yet, a precompressed sibling the client may
 * take, or a large file on a connection that cannot carry a file region, is declined and
 * goes the whole way through the stages.
 */
public final class DirectFiles {

	private DirectFiles() {
	}

	/**
	 * Answer a request if it is one the direct path serves. Writes without flushing.
	 * @param ctx where the response is written: a handler just after the HTTP codec
	 * @param connection what the path needs to know of the connection
	 * @param request the request
	 * @param common headers every response carries ({@code Server} and {@code Date}), as
	 * name and value in turn
	 * @param fdt the worker's open-file table
	 * @return the body bytes written, or {@code -1} when the request was declined and
	 * nothing was written
	 */
	public static long answer(ChannelHandlerContext ctx, DirectConnection connection, DirectRequest request,
			CharSequence[] common, OpenFileTable fdt) {
		Site site = request.site();
		if (site.precompressed() && request.acceptsEncoding()) {
			return -1;
		}
		long validNanos = fdt.settings().valid().toNanos();
		if (validNanos <= 0) {
			return -1;
		}
		ResolvedFiles files = ResolvedFiles.ofThisThread();
		FileInfo info = files.get(site, request.path(), validNanos);
		if (info == null) {
			return -1;
		}
		boolean small = site.fdt() && info.size() <= StaticFileHandler.SMALL_FILE;
		if (!small && !request.head() && !connection.regions()) {
			return -1;
		}
		HttpHeaders headers = headers(common, request.close(), site.precompressed(), info);
		if (request.head() || info.size() == 0) {
			ctx.write(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.EMPTY_BUFFER,
					headers, EmptyHttpHeaders.INSTANCE), connection.written());
			return 0;
		}
		OpenFile open;
		try {
			open = StaticFileHandler.FileResponder.open(fdt, site, info.file(), info.size(), info.modified());
		}
		catch (IOException ex) {
			// gone or replaced since it was resolved: the whole path resolves it again
			files.remove(site, request.path());
			return -1;
		}
		if (small) {
			ByteBuf contents = open.contents(StaticFileHandler.SMALL_FILE, ctx.alloc());
			if (contents != null) {
				ByteBuf body = contents.retainedSlice(0, (int) info.size());
				open.release();
				// headers and body as two messages: the codec encodes each into one
				// buffer, where a full response would take a promise per buffer
				ctx.write(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, headers),
						connection.written());
				ctx.write(new DefaultLastHttpContent(body, EmptyHttpHeaders.INSTANCE), connection.written());
				return info.size();
			}
			if (!connection.regions()) {
				open.release();
				return -1;
			}
		}
		if (connection.beforeRegion() != null) {
			connection.beforeRegion().run();
		}
		ctx.write(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, headers), connection.written());
		ctx.write(new FdtFileRegion(open, 0, info.size()), connection.written());
		ctx.write(LastHttpContent.EMPTY_LAST_CONTENT, connection.written());
		return info.size();
	}

	/**
	 * The response headers, read-only: they are copied from the published sets of the
	 * second and of the file, and no handler between this one and the socket changes
	 * them.
	 */
	private static HttpHeaders headers(CharSequence[] common, boolean close, boolean vary, FileInfo info) {
		CharSequence[] file = info.pairs();
		CharSequence[] pairs = new CharSequence[common.length + (close ? 2 : 0) + (vary ? 2 : 0) + file.length];
		System.arraycopy(common, 0, pairs, 0, common.length);
		int next = common.length;
		if (close) {
			pairs[next++] = HttpHeaderNames.CONNECTION;
			pairs[next++] = HttpHeaderValues.CLOSE;
		}
		if (vary) {
			pairs[next++] = HttpHeaderNames.VARY;
			pairs[next++] = HttpHeaderNames.ACCEPT_ENCODING;
		}
		System.arraycopy(file, 0, pairs, next, file.length);
		return new ReadOnlyHttpHeaders(false, pairs);
	}

	/**
	 * What the direct path needs to know of a connection, settled once for it.
	 *
	 * @param written the promise of every write: a void one, since nothing waits for them
	 * (a failed write closes the connection)
	 * @param regions whether the connection can carry a file region
	 * ({@link StaticFileHandler#canSendFileRegion})
	 * @param beforeRegion run before the headers of an answer whose body follows as a
	 * file region (the caller may cork the connection there), or {@code null}
	 */
	public record DirectConnection(ChannelPromise written, boolean regions, Runnable beforeRegion) {

	}

	/**
	 * What the direct path needs to know of a request.
	 *
	 * @param site the site it resolved to
	 * @param path its normalized path
	 * @param head whether it is a {@code HEAD}
	 * @param acceptsEncoding whether it carries {@code Accept-Encoding}
	 * @param close whether the connection closes after the answer
	 */
	public record DirectRequest(Site site, String path, boolean head, boolean acceptsEncoding, boolean close) {

	}

}
