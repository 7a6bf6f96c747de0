package dev.capuchin.plugin.proxy.internal.cache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.capuchin.core.internal.fdt.FdtFileRegion;
import dev.capuchin.core.internal.fdt.FdtSettings;
import dev.capuchin.core.internal.fdt.OpenFile;
import dev.capuchin.core.internal.fdt.OpenFileTable;
import dev.capuchin.core.internal.http.StaticFileHandler;
import dev.capuchin.core.spi.Exchange;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Disk entries' bodies on their way out: opened through a per-worker open-file table, so
 * that concurrent hits of one entry on one worker share a descriptor and a popular entry
 * stays open between hits, and sent as a zero-copy region ({@code sendfile(2)}) where the
 * connection can carry one (plain HTTP/1.x), read in chunks otherwise (TLS, HTTP/2).
 * <p>
 * The table and the region are core's ({@code core.internal.fdt}); the worker's own table
 * is not reachable through the SPI, so these tables are the cache's, one per worker loop,
 * created on it and used only there. An {@code Exchange.sendFile} in the SPI that sent a
 * file range through the worker's table (what the static-file handler does) would replace
 * this class.
 */
final class DiskFiles {

	/** Descriptors stay open between hits; files are never rewritten in place. */
	private static final FdtSettings SETTINGS = new FdtSettings(FdtSettings.DEFAULT_BUCKETS, FdtSettings.DEFAULT_SLOTS,
			true, FdtSettings.DEFAULT_IDLE_TIMEOUT, Duration.ZERO);

	private static final int CHUNK = 64 * 1024;

	private final Map<EventExecutor, Table> tables = new ConcurrentHashMap<>();

	/**
	 * Open an entry's body for one answer, checking the file's length.
	 * @param exchange the request
	 * @param file the entry's file
	 * @return the body, to {@link Body#send send} or {@link Body#release release}
	 * @throws IOException when the file is gone, cut short or cannot be opened
	 */
	Body open(Exchange exchange, CacheEntry.DiskFile file) throws IOException {
		Channel channel = channel(exchange);
		EventLoop loop = (channel != null) ? channel.eventLoop() : null;
		if (loop != null && loop.inEventLoop()) {
			OpenFile open = table(loop).acquire(file.path(), file.size(), file.modified());
			long size;
			try {
				size = open.channel().size();
			}
			catch (IOException ex) {
				open.release();
				throw ex;
			}
			if (size != file.size()) {
				open.release();
				throw new EntryFiles.CorruptEntryException(size + " bytes (expected: " + file.size() + ")");
			}
			return new Body(channel, open, null, file);
		}
		// answered off the worker (a plugin finished elsewhere): a descriptor of its own
		FileChannel own = FileChannel.open(file.path(), StandardOpenOption.READ);
		if (own.size() != file.size()) {
			long size = own.size();
			own.close();
			throw new EntryFiles.CorruptEntryException(size + " bytes (expected: " + file.size() + ")");
		}
		return new Body(channel, null, own, file);
	}

	/** Close the tables' idle descriptors and stop their sweeps. */
	void close() {
		this.tables.forEach((loop, table) -> {
			table.sweep().cancel(false);
			if (!loop.isShuttingDown()) {
				loop.execute(table.fdt()::closeAll);
			}
		});
		this.tables.clear();
	}

	private OpenFileTable table(EventLoop loop) {
		return this.tables.computeIfAbsent(loop, (owner) -> {
			OpenFileTable fdt = new OpenFileTable(loop, SETTINGS);
			long every = SETTINGS.idleTimeout().toMillis();
			ScheduledFuture<?> sweep = loop.scheduleAtFixedRate(fdt::closeIdle, every, every, TimeUnit.MILLISECONDS);
			return new Table(fdt, sweep);
		}).fdt();
	}

	private static @Nullable Channel channel(Exchange exchange) {
		Channel[] channel = new Channel[1];
		exchange.response().withConnection((connection) -> channel[0] = connection.channel());
		return channel[0];
	}

	private record Table(OpenFileTable fdt, ScheduledFuture<?> sweep) {
	}

	/** One answer's hold on an entry's file. */
	static final class Body {

		private final @Nullable Channel channel;

		private final @Nullable OpenFile shared;

		private final @Nullable FileChannel own;

		private final CacheEntry.DiskFile file;

		private boolean sending;

		private boolean released;

		Body(@Nullable Channel channel, @Nullable OpenFile shared, @Nullable FileChannel own,
				CacheEntry.DiskFile file) {
			this.channel = channel;
			this.shared = shared;
			this.own = own;
			this.file = file;
		}

		/**
		 * Send a range of the body, which hands the hold over to the response.
		 * @param response the response, its headers set
		 * @param first the range's first byte in the body
		 * @param length its length
		 * @return completes when it is sent
		 */
		Mono<Void> send(HttpServerResponse response, long first, long length) {
			this.sending = true;
			long position = this.file.bodyOffset() + first;
			if (this.channel != null && StaticFileHandler.canSendFileRegion(this.channel)) {
				// the region takes the reference; the channel releases it once written,
				// or Reactor Netty does if the response is abandoned
				Object region = (this.shared != null) ? new FdtFileRegion(this.shared, position, length)
						: new DefaultFileRegion(this.own, position, length);
				return response.sendObject(region).then();
			}
			FileChannel source = (this.shared != null) ? this.shared.channel() : this.own;
			return response
				.send(Flux.using(() -> this, (body) -> read(source, position, length), Body::releaseNow, true))
				.then();
		}

		private Flux<ByteBuf> read(FileChannel source, long position, long length) {
			return Flux.generate(() -> new long[] { position }, (state, sink) -> {
				long remaining = position + length - state[0];
				if (remaining <= 0) {
					sink.complete();
					return state;
				}
				int size = (int) Math.min(CHUNK, remaining);
				ByteBuf buffer = (this.channel != null) ? this.channel.alloc().ioBuffer(size)
						: Unpooled.directBuffer(size);
				try {
					ByteBuffer target = buffer.nioBuffer(0, size);
					int read = 0;
					while (read < size) {
						int n = source.read(target, state[0] + read);
						if (n < 0) {
							throw new IOException("cache file shrank while it was sent: " + this.file.path());
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

		/**
		 * Give the hold back unless the body is being sent (304, 412, 416, HEAD, an empty
		 * body): the response releases it then.
		 */
		void release() {
			if (!this.sending) {
				releaseNow();
			}
		}

		private void releaseNow() {
			if (this.released) {
				return;
			}
			this.released = true;
			if (this.shared != null) {
				this.shared.release();
			}
			else if (this.own != null) {
				try {
					this.own.close();
				}
				catch (IOException ex) {
					// nothing left to do with a descriptor that will not close
				}
			}
		}

	}

}
