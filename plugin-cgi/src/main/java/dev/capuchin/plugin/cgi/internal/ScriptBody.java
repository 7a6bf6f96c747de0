package dev.capuchin.plugin.cgi.internal;

import java.io.IOException;
import java.io.InputStream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The response body a script writes after its header block: its stdout, read on the
 * executor one 16 KiB buffer at a time as the connection takes it, after the bytes read
 * with the header block; held to the script's own {@code Content-Length} when it gave
 * one. A body that came whole with the header block is sent at once.
 */
final class ScriptBody {

	private static final int CHUNK = 16 * 1024;

	private ScriptBody() {
	}

	/**
	 * The body.
	 * @param head the script's header block
	 * @param in the script's stdout, after the header block
	 * @param alloc where buffers come from
	 * @param scheduler where the blocking reads run
	 * @return the body's buffers
	 */
	static Flux<ByteBuf> of(CgiHead head, InputStream in, ByteBufAllocator alloc, Scheduler scheduler) {
		if (head.contentLength() >= 0 && head.rest().length >= head.contentLength()) {
			// the whole body came with the header block (a small answer written at once):
			// the response ends now, without a further blocking read on the executor and
			// without waiting for the script's end of output. Bytes past the length stay
			// in
			// the pipe and are dropped with it; a script that writes more than the pipe
			// holds past its own Content-Length blocks until the ScriptReaper kills it
			int length = (int) head.contentLength();
			return (length == 0) ? Flux.empty()
					: Mono.fromSupplier(() -> Unpooled.wrappedBuffer(head.rest(), 0, length)).flux();
		}
		Flux<ByteBuf> rest = Flux.<ByteBuf>generate((sink) -> {
			ByteBuf buffer = alloc.heapBuffer(CHUNK);
			try {
				int read = buffer.writeBytes(in, CHUNK);
				if (read < 0) {
					buffer.release();
					sink.complete();
				}
				else {
					sink.next(buffer);
				}
			}
			catch (IOException ex) {
				buffer.release();
				sink.error(ex);
			}
		}).subscribeOn(scheduler);
		Flux<ByteBuf> body = (head.rest().length == 0) ? rest
				: Flux.concat(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(head.rest())), rest);
		return (head.contentLength() >= 0) ? exactly(body, head.contentLength()) : body;
	}

	/**
	 * A body held to the script's own {@code Content-Length}: bytes past it are read and
	 * dropped, and a body that ends short of it fails (the connection is then closed), so
	 * that a script can never make the client read its bytes as the next response.
	 */
	private static Flux<ByteBuf> exactly(Flux<ByteBuf> body, long length) {
		long[] left = { length };
		return body.<ByteBuf>handle((buffer, sink) -> {
			if (left[0] <= 0) {
				buffer.release();
				return;
			}
			if (buffer.readableBytes() > left[0]) {
				buffer.writerIndex(buffer.readerIndex() + (int) left[0]);
			}
			left[0] -= buffer.readableBytes();
			sink.next(buffer);
		})
			.concatWith(Mono.defer(() -> (left[0] > 0)
					? Mono.error(new CgiHead.Malformed(
							"output ended " + left[0] + " bytes short of its Content-Length " + length))
					: Mono.empty()));
	}

}
