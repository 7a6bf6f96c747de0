package dev.capuchin.core.internal.fdt;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import io.netty.util.concurrent.EventExecutor;

/**
 * A worker's open-file table (Monkey's FDT): a fixed array of buckets, each with a few
 * slots, mapping a path to an open {@link FileChannel} and a reference count, so that
 * concurrent requests for one file on one worker share one descriptor.
 * <p>
 * The table is confined to its worker's thread and takes no locks. When a bucket is full
 * of files in use, the file is opened privately and closed after its one reader. With
 * {@link FdtSettings#retainIdle()} an entry whose last reader finished stays open,
 * bounded by the table's size and an idle timeout, and is reused only while its size and
 * modification time still match the file on disk.
 */
public final class OpenFileTable {

	private final EventExecutor owner;

	private final FdtSettings settings;

	private final OpenFile[][] buckets;

	private final AtomicLong hits = new AtomicLong();

	private final AtomicLong misses = new AtomicLong();

	private final AtomicLong open = new AtomicLong();

	private final LongSupplier nanoTime;

	/**
	 * Create a table for one worker.
	 * @param owner the worker's event loop, the only thread that may use the table
	 * @param settings the table's shape and policy
	 */
	public OpenFileTable(EventExecutor owner, FdtSettings settings) {
		this(owner, settings, System::nanoTime);
	}

	/**
	 * Create a table for one worker that reads the time from a given source, so that a
	 * test can pass the idle timeout without waiting for it.
	 * @param owner the worker's event loop, the only thread that may use the table
	 * @param settings the table's shape and policy
	 * @param nanoTime the time in nanoseconds, as {@link System#nanoTime()}
	 */
	public OpenFileTable(EventExecutor owner, FdtSettings settings, LongSupplier nanoTime) {
		this.owner = Objects.requireNonNull(owner, "owner");
		this.settings = Objects.requireNonNull(settings, "settings");
		this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
		this.buckets = new OpenFile[settings.buckets()][settings.slots()];
	}

	/**
	 * Take a reference to the file at {@code path}, sharing the worker's descriptor when
	 * one is open and still current.
	 * @param path the absolute, normalized path of a regular file
	 * @param size the file's current size
	 * @param modified the file's current modification time in milliseconds
	 * @return a reference; the caller must {@link OpenFile#release() release} it
	 * @throws IOException when the file cannot be opened
	 */
	public OpenFile acquire(Path path, long size, long modified) throws IOException {
		assertOwner();
		OpenFile[] bucket = this.buckets[bucketOf(path)];
		int empty = -1;
		int idle = -1;
		for (int i = 0; i < bucket.length; i++) {
			OpenFile entry = bucket[i];
			if (entry != null && entry.path().equals(path)) {
				if (entry.matches(size, modified)) {
					entry.refs++;
					this.hits.lazySet(this.hits.get() + 1);
					return entry;
				}
				// changed on disk: current readers keep the old descriptor, new ones get
				// a fresh one
				detach(bucket, i);
				entry = null;
			}
			if (entry == null) {
				empty = (empty < 0) ? i : empty;
			}
			else if (entry.refs == 0 && (idle < 0 || entry.lastUsedNanos < bucket[idle].lastUsedNanos)) {
				idle = i;
			}
		}
		this.misses.lazySet(this.misses.get() + 1);
		int slot = empty;
		if (slot < 0 && idle >= 0) {
			detach(bucket, idle);
			slot = idle;
		}
		OpenFile file = new OpenFile(this, path, FileChannel.open(path, StandardOpenOption.READ), size, modified,
				slot >= 0);
		file.refs = 1;
		this.open.lazySet(this.open.get() + 1);
		if (slot >= 0) {
			bucket[slot] = file;
		}
		return file;
	}

	/**
	 * Open a file outside the table, for a site that does not use it: the descriptor
	 * closes when its last reference is released.
	 * @param path the file
	 * @param size its current size
	 * @param modified its current modification time in milliseconds
	 * @return a reference
	 * @throws IOException when the file cannot be opened
	 */
	public OpenFile openPrivate(Path path, long size, long modified) throws IOException {
		assertOwner();
		OpenFile file = new OpenFile(this, path, FileChannel.open(path, StandardOpenOption.READ), size, modified,
				false);
		file.refs = 1;
		this.open.lazySet(this.open.get() + 1);
		return file;
	}

	void retain(OpenFile file) {
		assertOwner();
		if (file.refs <= 0) {
			throw new IllegalStateException("retain of a released file: " + file.path());
		}
		file.refs++;
	}

	void release(OpenFile file) {
		if (!this.owner.inEventLoop()) {
			this.owner.execute(() -> release(file));
			return;
		}
		if (--file.refs > 0) {
			return;
		}
		if (file.inTable && this.settings.retainIdle()) {
			file.lastUsedNanos = this.nanoTime.getAsLong();
			return;
		}
		if (file.inTable) {
			OpenFile[] bucket = this.buckets[bucketOf(file.path())];
			for (int i = 0; i < bucket.length; i++) {
				if (bucket[i] == file) {
					bucket[i] = null;
				}
			}
			file.inTable = false;
		}
		close(file);
	}

	/**
	 * Close retained entries that nobody used for longer than the idle timeout. The
	 * worker calls this periodically.
	 */
	public void closeIdle() {
		assertOwner();
		long now = this.nanoTime.getAsLong();
		long limit = this.settings.idleTimeout().toNanos();
		for (OpenFile[] bucket : this.buckets) {
			for (int i = 0; i < bucket.length; i++) {
				OpenFile entry = bucket[i];
				if (entry != null && entry.refs == 0 && now - entry.lastUsedNanos > limit) {
					detach(bucket, i);
				}
			}
		}
	}

	/**
	 * Close every entry that no reader holds; entries in use close when their last reader
	 * releases them.
	 */
	public void closeAll() {
		assertOwner();
		for (OpenFile[] bucket : this.buckets) {
			for (int i = 0; i < bucket.length; i++) {
				if (bucket[i] != null) {
					detach(bucket, i);
				}
			}
		}
	}

	/**
	 * Descriptors this table holds open right now (shared and private).
	 * @return the open count
	 */
	public long openCount() {
		return this.open.get();
	}

	/**
	 * Requests served from a descriptor that was already open.
	 * @return the hit count
	 */
	public long hits() {
		return this.hits.get();
	}

	/**
	 * Requests that had to open the file.
	 * @return the miss count
	 */
	public long misses() {
		return this.misses.get();
	}

	/**
	 * The settings this table was built with.
	 * @return the settings
	 */
	public FdtSettings settings() {
		return this.settings;
	}

	private void detach(OpenFile[] bucket, int slot) {
		OpenFile entry = bucket[slot];
		bucket[slot] = null;
		entry.inTable = false;
		if (entry.refs == 0) {
			close(entry);
		}
	}

	private void close(OpenFile file) {
		file.closeQuietly();
		this.open.lazySet(this.open.get() - 1);
	}

	private int bucketOf(Path path) {
		int h = path.hashCode();
		h ^= (h >>> 16);
		return Math.floorMod(h, this.buckets.length);
	}

	private void assertOwner() {
		if (!this.owner.inEventLoop()) {
			throw new IllegalStateException("open-file table used off its worker thread");
		}
	}

}
