package dev.capuchin.core.fdt;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

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

	void closeQuietly() {
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
