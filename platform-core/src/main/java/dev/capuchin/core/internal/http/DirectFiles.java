package dev.capuchin.core.internal.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

import dev.capuchin.core.internal.fdt.FdtFileRegion;
import dev.capuchin.core.internal.fdt.OpenFile;
import dev.capuchin.core.internal.fdt.OpenFileTable;
import dev.capuchin.core.spi.Site;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;

/**
 * The kernel's direct path for the most common request of a static site: a plain
 * {@code GET} or {@code HEAD} of a file that a request of the same worker resolved less
 * than {@code fdt.valid} ago. The answer is the one {@link StaticFileHandler} gives the
 * same request (the file's validators, type and length, its body from the worker's
 * open-file table). Its status line and headers are copied from blocks encoded once a
 * second and once per file, and it goes to the connection's codec as an
 * {@link EncodedResponse}.
 * <p>
 * Anything else, such as a path not resolved yet, a precompressed sibling the client may
 * take, or a large file on a connection that cannot carry a file region, is declined and
 * goes the whole way through the stages. An HTTP/2 stream gets the same answer as frames
 * ({@link #answerStream}).
 */
public final class DirectFiles {

	private static final byte[] STATUS_OK = ascii("HTTP/1.1 200 OK\r\n");

	private static final byte[] CONNECTION_CLOSE = ascii("Connection: close\r\n");

	private static final byte[] VARY_ACCEPT_ENCODING = ascii("Vary: Accept-Encoding\r\n");

	private static final AsciiString STATUS_OK_CODE = HttpResponseStatus.OK.codeAsText();

	private static final AsciiString VARY_VALUE = AsciiString.cached("Accept-Encoding");

	private DirectFiles() {
	}

	/**
	 * Answer a request if it is one the direct path serves. Writes without flushing.
	 * @param ctx where the response is written: a handler just after the HTTP codec
	 * @param connection what the path needs to know of the connection
	 * @param request the request
	 * @param common header lines every response carries ({@code Server} and {@code Date})
	 * @param fdt the worker's open-file table
	 * @return the body bytes written, or {@code -1} when the request was declined and
	 * nothing was written
	 */
	public static long answer(ChannelHandlerContext ctx, DirectConnection connection, DirectRequest request,
			byte[] common, OpenFileTable fdt) {
		Site site = request.site();
		FileInfo info = resolved(request, fdt);
		if (info == null) {
			return -1;
		}
		boolean small = site.fdt() && info.size() <= StaticFileHandler.SMALL_FILE;
		if (!small && !request.head() && !connection.regions()) {
			return -1;
		}
		if (request.head() || info.size() == 0) {
			ctx.write(new EncodedResponse(head(ctx, common, request.close(), site.precompressed(), info), null),
					connection.written());
			return 0;
		}
		OpenFile open = open(request, info, fdt);
		if (open == null) {
			return -1;
		}
		Object body = small ? contents(open, ctx, info) : null;
		if (body == null) {
			if (!connection.regions()) {
				open.release();
				return -1;
			}
			if (connection.beforeRegion() != null) {
				connection.beforeRegion().run();
			}
			body = new FdtFileRegion(open, 0, info.size());
		}
		ByteBuf head;
		try {
			head = head(ctx, common, request.close(), site.precompressed(), info);
		}
		catch (RuntimeException ex) {
			// no buffer for the head: the body must not keep its file open
			ReferenceCountUtil.release(body);
			throw ex;
		}
		ctx.write(new EncodedResponse(head, body), connection.written());
		return info.size();
	}

	/**
	 * Answer a request on an HTTP/2 stream if it is one the direct path serves: the same
	 * answer as {@link #answer}'s, as a {@code HEADERS} frame and a {@code DATA} frame.
	 * Only a file kept in memory by the worker's open-file table is sent: there is no
	 * {@code sendfile(2)} for a stream, and a body of at most
	 * {@link StaticFileHandler#SMALL_FILE} bytes is one frame that the connection's flow
	 * controller holds until the stream's window takes it; a larger file goes the whole
	 * way, which reads it chunk by chunk as the stream can take it. Writes without
	 * flushing.
	 * @param ctx where the response is written: a handler just after the stream's codec,
	 * or just after the connection's frame codec
	 * @param request the request
	 * @param common header fields every response carries ({@code server} and
	 * {@code date}), as name, value, ..., names in lower case
	 * @param fdt the worker's open-file table
	 * @param stream the stream the frames belong to when they are written on the
	 * connection, or {@code null} on the stream's own channel
	 * @return the body bytes written, or {@code -1} when the request was declined and
	 * nothing was written
	 */
	public static long answerStream(ChannelHandlerContext ctx, DirectRequest request, CharSequence[] common,
			OpenFileTable fdt, Http2FrameStream stream) {
		Site site = request.site();
		FileInfo info = resolved(request, fdt);
		if (info == null) {
			return -1;
		}
		boolean empty = request.head() || info.size() == 0;
		if (!empty && (!site.fdt() || info.size() > StaticFileHandler.SMALL_FILE)) {
			return -1;
		}
		ByteBuf body = null;
		if (!empty) {
			OpenFile open = open(request, info, fdt);
			if (open == null) {
				return -1;
			}
			body = contents(open, ctx, info);
			if (body == null) {
				open.release();
				return -1;
			}
		}
		Http2Headers headers = new DefaultHttp2Headers(false, common.length / 2 + 8);
		headers.status(STATUS_OK_CODE);
		for (int i = 0; i < common.length; i += 2) {
			headers.add(common[i], common[i + 1]);
		}
		if (site.precompressed()) {
			headers.add(HttpHeaderNames.VARY, VARY_VALUE);
		}
		add(headers, info.validators());
		add(headers, info.whole());
		DefaultHttp2HeadersFrame headersFrame = new DefaultHttp2HeadersFrame(headers, empty);
		if (stream != null) {
			headersFrame.stream(stream);
		}
		ctx.write(headersFrame, ctx.voidPromise());
		if (empty) {
			return 0;
		}
		DefaultHttp2DataFrame dataFrame = new DefaultHttp2DataFrame(body, true);
		if (stream != null) {
			dataFrame.stream(stream);
		}
		ctx.write(dataFrame, ctx.voidPromise());
		return info.size();
	}

	private static void add(Http2Headers headers, HttpHeaders fields) {
		// set with Netty's lower-case names (FileInfo)
		Iterator<Map.Entry<CharSequence, CharSequence>> entries = fields.iteratorCharSequence();
		while (entries.hasNext()) {
			Map.Entry<CharSequence, CharSequence> field = entries.next();
			headers.add(field.getKey(), field.getValue());
		}
	}

	/**
	 * The file a request of this worker resolved less than {@code fdt.valid} ago, or
	 * {@code null} when the request must go the whole way: never resolved, or a site
	 * whose precompressed siblings the client may take.
	 */
	private static FileInfo resolved(DirectRequest request, OpenFileTable fdt) {
		Site site = request.site();
		if (site.precompressed() && request.acceptsEncoding()) {
			return null;
		}
		long validNanos = fdt.settings().valid().toNanos();
		if (validNanos <= 0) {
			return null;
		}
		return ResolvedFiles.ofThisThread().get(site, request.path(), validNanos);
	}

	/** The file's descriptor, or {@code null} when it is gone or replaced. */
	private static OpenFile open(DirectRequest request, FileInfo info, OpenFileTable fdt) {
		try {
			return StaticFileHandler.FileResponder.open(fdt, request.site(), info.file(), info.size(), info.modified());
		}
		catch (IOException ex) {
			// gone or replaced since it was resolved: the whole path resolves it again
			ResolvedFiles.ofThisThread().remove(request.site(), request.path());
			return null;
		}
	}

	/**
	 * A small file's bytes from the worker's copy, the descriptor released; or
	 * {@code null}, the descriptor kept, when the table holds no copy of it.
	 */
	private static ByteBuf contents(OpenFile open, ChannelHandlerContext ctx, FileInfo info) {
		ByteBuf contents = open.contents(StaticFileHandler.SMALL_FILE, ctx.alloc());
		if (contents == null) {
			return null;
		}
		ByteBuf body = contents.retainedSlice(0, (int) info.size());
		open.release();
		return body;
	}

	/**
	 * The status line and header block of a {@code 200}, copied from blocks encoded once:
	 * those of the second, then those of the file.
	 */
	private static ByteBuf head(ChannelHandlerContext ctx, byte[] common, boolean close, boolean vary, FileInfo info) {
		byte[] file = info.lines();
		ByteBuf head = ctx.alloc()
			.buffer(STATUS_OK.length + common.length + (close ? CONNECTION_CLOSE.length : 0)
					+ (vary ? VARY_ACCEPT_ENCODING.length : 0) + file.length + 2);
		head.writeBytes(STATUS_OK).writeBytes(common);
		if (close) {
			head.writeBytes(CONNECTION_CLOSE);
		}
		if (vary) {
			head.writeBytes(VARY_ACCEPT_ENCODING);
		}
		return head.writeBytes(file).writeByte('\r').writeByte('\n');
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
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
