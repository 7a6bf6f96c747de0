package dev.capuchin.core.internal.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import dev.capuchin.core.internal.fdt.FdtFileRegion;
import dev.capuchin.core.internal.fdt.OpenFile;
import dev.capuchin.core.internal.fdt.OpenFileTable;
import dev.capuchin.core.spi.Site;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
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
 * goes the whole way through the stages.
 */
public final class DirectFiles {

	private static final byte[] STATUS_OK = ascii("HTTP/1.1 200 OK\r\n");

	private static final byte[] CONNECTION_CLOSE = ascii("Connection: close\r\n");

	private static final byte[] VARY_ACCEPT_ENCODING = ascii("Vary: Accept-Encoding\r\n");

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
		if (request.head() || info.size() == 0) {
			ctx.write(new EncodedResponse(head(ctx, common, request.close(), site.precompressed(), info), null),
					connection.written());
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
		Object body = null;
		if (small) {
			ByteBuf contents = open.contents(StaticFileHandler.SMALL_FILE, ctx.alloc());
			if (contents != null) {
				body = contents.retainedSlice(0, (int) info.size());
				open.release();
			}
			else if (!connection.regions()) {
				open.release();
				return -1;
			}
		}
		if (body == null) {
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
