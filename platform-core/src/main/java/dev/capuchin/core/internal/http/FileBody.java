package dev.capuchin.core.internal.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import dev.capuchin.core.internal.fdt.FdtFileRegion;
import dev.capuchin.core.internal.fdt.OpenFile;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The body of a file response as a list of segments (literal bytes and file ranges), sent
 * either as zero-copy {@link FdtFileRegion}s written straight to the channel, or as reads
 * of {@value #CHUNK} bytes where the channel cannot carry a region (TLS, HTTP/2,
 * compression).
 */
final class FileBody {

	/** Read size for the copying path. */
	static final int CHUNK = 64 * 1024;

	private final List<Segment> segments;

	private FileBody(List<Segment> segments) {
		this.segments = List.copyOf(segments);
	}

	/** A body that is one range of the file. */
	static FileBody range(long position, long count) {
		return new FileBody(List.of(new Segment(null, position, count)));
	}

	/** A {@code multipart/byteranges} body. */
	static FileBody multipart(List<ByteRange> ranges, List<byte[]> partHeaders, byte[] closing) {
		List<Segment> segments = new ArrayList<>();
		for (int i = 0; i < ranges.size(); i++) {
			segments.add(new Segment(partHeaders.get(i), 0, 0));
			segments.add(new Segment(null, ranges.get(i).first(), ranges.get(i).length()));
		}
		segments.add(new Segment(closing, 0, 0));
		return new FileBody(segments);
	}

	/**
	 * Whether the body is one range of the file (no multipart framing).
	 * @return {@code true} for a single range
	 */
	boolean isSingleRange() {
		return this.segments.size() == 1;
	}

	/**
	 * A single-range body as a retained slice of the file's contents in memory.
	 * @param contents the whole file
	 * @return the slice, which the caller sends (and so releases)
	 */
	ByteBuf slice(ByteBuf contents) {
		Segment segment = this.segments.get(0);
		return contents.retainedSlice((int) segment.position(), (int) segment.count());
	}

	/**
	 * A single-range body as one zero-copy region.
	 * @param file a reference the region takes over
	 * @return the region
	 */
	FdtFileRegion region(OpenFile file) {
		Segment segment = this.segments.get(0);
		return new FdtFileRegion(file, segment.position(), segment.count());
	}

	/**
	 * Write the body as file regions, each holding a reference of {@code file} until it
	 * is written. The response headers must have been sent.
	 * @param channel the connection's channel, on its event loop
	 * @param file the open file
	 * @return completion of the last write
	 */
	Mono<Void> writeZeroCopy(Channel channel, OpenFile file) {
		ChannelFuture last = null;
		for (Segment segment : this.segments) {
			Object message;
			if (segment.bytes() != null) {
				message = Unpooled.wrappedBuffer(segment.bytes());
			}
			else {
				file.retain();
				message = new FdtFileRegion(file, segment.position(), segment.count());
			}
			last = channel.write(message);
		}
		channel.flush();
		ChannelFuture done = last;
		return Mono.create((sink) -> done.addListener((future) -> {
			if (future.isSuccess()) {
				sink.success();
			}
			else {
				sink.error(future.cause());
			}
		}));
	}

	/**
	 * The body as buffers read from {@code file}.
	 * @param file the open file; read with positional reads only
	 * @param allocator the channel's allocator
	 * @return the buffers, in order
	 */
	Flux<ByteBuf> copy(OpenFile file, ByteBufAllocator allocator) {
		List<Flux<ByteBuf>> parts = new ArrayList<>();
		for (Segment segment : this.segments) {
			if (segment.bytes() != null) {
				parts.add(Flux.defer(() -> Flux.just(Unpooled.wrappedBuffer(segment.bytes()))));
			}
			else {
				parts.add(read(file, segment.position(), segment.count(), allocator));
			}
		}
		return Flux.concat(parts);
	}

	private static Flux<ByteBuf> read(OpenFile file, long position, long count, ByteBufAllocator allocator) {
		return Flux.generate(() -> new long[] { position }, (state, sink) -> {
			long remaining = position + count - state[0];
			if (remaining <= 0) {
				sink.complete();
				return state;
			}
			int size = (int) Math.min(CHUNK, remaining);
			ByteBuf buffer = allocator.ioBuffer(size);
			try {
				ByteBuffer target = buffer.nioBuffer(0, size);
				int read = 0;
				while (read < size) {
					int n = file.channel().read(target, state[0] + read);
					if (n < 0) {
						throw new IOException("file shrank while it was sent: " + file.path());
					}
					read += n;
				}
				buffer.writerIndex(size);
				state[0] += size;
				sink.next(buffer);
			}
			catch (IOException ex) {
				buffer.release();
				sink.error(new UncheckedIOException(ex));
			}
			return state;
		});
	}

	/** Literal bytes, or a range of the file when {@code bytes} is {@code null}. */
	private record Segment(byte[] bytes, long position, long count) {
	}

}
