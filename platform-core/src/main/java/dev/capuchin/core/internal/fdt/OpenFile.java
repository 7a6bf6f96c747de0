package dev.capuchin.core.internal.fdt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * A file opened through a worker's {@link OpenFileTable}: one descriptor shared by every
 * request on that worker that reads the same file. Each reader holds a reference and
 * gives it back with {@link #release()}; the table decides when the descriptor closes.
 */
public final class OpenFile {

	private final OpenFileTable table;

	private final Path path;

	private final FileChannel channel;

	private final long size;

	private final long modified;

	int refs;

	boolean inTable;

	long lastUsedNanos;

	private ByteBuf contents;

	OpenFile(OpenFileTable table, Path path, FileChannel channel, long size, long modified, boolean inTable) {
		this.table = table;
		this.path = path;
		this.channel = channel;
		this.size = size;
		this.modified = modified;
		this.inTable = inTable;
	}

	/**
	 * The file's path.
	 * @return the path
	 */
	public Path path() {
		return this.path;
	}

	/**
	 * The shared channel. Read it only with positional reads; never close it.
	 * @return the channel
	 */
	public FileChannel channel() {
		return this.channel;
	}

	/**
	 * The size the file had when it was opened.
	 * @return the size in bytes
	 */
	public long size() {
		return this.size;
	}

	/**
	 * The modification time (milliseconds) the file had when it was opened.
	 * @return the modification time
	 */
	public long modified() {
		return this.modified;
	}

	/**
	 * Whether the table tracks this file, so that other readers can share it.
	 * @return {@code true} when shared through the table
	 */
	public boolean isShared() {
		return this.inTable;
	}

	/**
	 * Take one more reference for another reader on the owning worker.
	 */
	public void retain() {
		this.table.retain(this);
	}

	/**
	 * Give this reader's reference back. Safe from any thread: off the owning worker the
	 * release is handed to it.
	 */
	public void release() {
		this.table.release(this);
	}

	/**
	 * The whole file in memory, read once on first use and kept while the descriptor
	 * stays in the table, so that a small file is answered with one write instead of a
	 * write and a {@code sendfile(2)}. Only for files up to {@code maxSize}; the caller
	 * retains what it sends. Use it on the owning worker only.
	 * @param maxSize the largest file to keep in memory
	 * @param allocator where to allocate the buffer
	 * @return the contents (do not release), or {@code null} when the file is larger,
	 * shared by nobody, or cannot be read
	 */
	public ByteBuf contents(int maxSize, ByteBufAllocator allocator) {
		if (this.contents != null) {
			return this.contents;
		}
		if (!this.inTable || this.size > maxSize) {
			return null;
		}
		int length = (int) this.size;
		ByteBuf buffer = allocator.directBuffer(length);
		try {
			ByteBuffer target = buffer.nioBuffer(0, length);
			int read = 0;
			while (read < length) {
				int n = this.channel.read(target, read);
				if (n < 0) {
					buffer.release();
					return null;
				}
				read += n;
			}
			buffer.writerIndex(length);
		}
		catch (IOException ex) {
			buffer.release();
			return null;
		}
		this.contents = buffer;
		return buffer;
	}

	void closeQuietly() {
		if (this.contents != null) {
			this.contents.release();
			this.contents = null;
		}
		try {
			this.channel.close();
		}
		catch (IOException ex) {
			// nothing left to do with a descriptor that will not close
		}
	}

	boolean matches(long size, long modified) {
		return this.size == size && this.modified == modified && this.channel.isOpen();
	}

}
