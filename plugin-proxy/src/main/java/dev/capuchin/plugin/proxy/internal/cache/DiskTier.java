package dev.capuchin.plugin.proxy.internal.cache;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A zone's directory on disk: where its entries' files are named, written and deleted,
 * off the event loops, and how its index is rebuilt at start. The index itself (which
 * entry is where, the recency list, the budget) is the zone's, under the zone's lock.
 * <p>
 * Files are named after a hash of the entry's key and a random suffix, one level of
 * directories deep ({@code 3f/3f9a…-1c2d….entry}, as nginx's {@code levels=2}): a new
 * version of an entry is a new file, so a descriptor still open on the old one (a hit in
 * flight, the workers' open-file tables) never reads the new bytes.
 */
final class DiskTier {

	/**
	 * Writes and deletions waiting for the disk, at most: past it a spill is dropped (the
	 * entry leaves the cache) rather than held in memory.
	 */
	static final int QUEUE = 1024;

	private static final Logger logger = LoggerFactory.getLogger(DiskTier.class);

	private final String zone;

	private final Path directory;

	private final long budget;

	private final ThreadPoolExecutor io;

	/** Bytes of entries evicted from memory whose write has not finished. */
	final AtomicLong spilling = new AtomicLong();

	final LongAdder corrupt = new LongAdder();

	final LongAdder writeFailures = new LongAdder();

	volatile boolean indexing;

	/**
	 * Create the tier over its directory, creating it.
	 * @param zone the zone's name, for messages and thread names
	 * @param directory the directory
	 * @param budget the bytes its files may take
	 */
	DiskTier(String zone, Path directory, long budget) {
		this.zone = zone;
		this.directory = directory.toAbsolutePath().normalize();
		this.budget = budget;
		try {
			Files.createDirectories(this.directory);
		}
		catch (IOException ex) {
			throw new IllegalArgumentException("cache.zones." + zone + ".disk-path: '" + directory
					+ "' cannot be created (" + ex + ") (expected: a writable directory)", ex);
		}
		if (!Files.isWritable(this.directory)) {
			throw new IllegalArgumentException(
					"cache.zones." + zone + ".disk-path: '" + directory + "' (expected: a writable directory)");
		}
		// one thread: the disk is the bottleneck, and order keeps a write before a
		// deletion of the same file
		this.io = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE), (task) -> {
			Thread thread = new Thread(task, "capuchin-cache-" + zone);
			thread.setDaemon(true);
			return thread;
		});
	}

	long budget() {
		return this.budget;
	}

	Path directory() {
		return this.directory;
	}

	/**
	 * Run a task on the tier's thread.
	 * @return {@code false} when the queue is full or the tier closed
	 */
	boolean submit(Runnable task) {
		try {
			this.io.execute(task);
			return true;
		}
		catch (RejectedExecutionException ex) {
			return false;
		}
	}

	/** A new, unused file name for an entry. */
	Path newFile(String url, String variant) {
		String hash = hash(url + '\n' + variant);
		String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
		return this.directory.resolve(hash.substring(0, 2)).resolve(hash + "-" + suffix + EntryFiles.SUFFIX);
	}

	/** Delete an entry's file off the event loop (here when the queue is full). */
	void delete(Path file) {
		if (!submit(() -> deleteNow(file))) {
			deleteNow(file);
		}
	}

	void deleteNow(Path file) {
		try {
			Files.deleteIfExists(file);
		}
		catch (IOException ex) {
			logger.warn("cache {}: {} cannot be deleted: {}", this.zone, file, ex.toString());
		}
	}

	/**
	 * Rebuild the index from the directory on a thread of its own, so that the data plane
	 * serves at once; entries become hits as they are read. The newest files are read
	 * first and each is placed behind the ones before it, so the oldest are the first
	 * evicted when the directory holds more than the budget. A damaged file is counted
	 * and deleted; a temporary file (a write cut short) is deleted.
	 * @param index called with each entry read, on the scan's thread
	 * @param ended called once the scan ended, however
	 */
	void scan(Consumer<CacheEntry> index, Runnable ended) {
		this.indexing = true;
		Thread thread = new Thread(() -> {
			try {
				scanNow(index);
			}
			catch (RuntimeException | IOException ex) {
				logger.warn("cache {}: the index of {} was not rebuilt whole: {}", this.zone, this.directory,
						ex.toString());
			}
			finally {
				this.indexing = false;
				ended.run();
			}
		}, "capuchin-cache-" + this.zone + "-index");
		thread.setDaemon(true);
		thread.start();
	}

	private void scanNow(Consumer<CacheEntry> index) throws IOException {
		record Found(Path path, long modified) {
		}
		List<Found> found = new ArrayList<>();
		long started = System.currentTimeMillis();
		try (Stream<Path> files = Files.walk(this.directory, 2)) {
			for (Path file : (Iterable<Path>) files::iterator) {
				String name = file.getFileName().toString();
				if (name.endsWith(EntryFiles.TEMPORARY)
						&& Files.getLastModifiedTime(file).toMillis() < started - 60_000) {
					// left by a crash; not one this node is writing right now
					deleteNow(file);
				}
				else if (name.endsWith(EntryFiles.SUFFIX) && Files.isRegularFile(file)) {
					found.add(new Found(file, Files.getLastModifiedTime(file).toMillis()));
				}
			}
		}
		found.sort((a, b) -> Long.compare(b.modified(), a.modified()));
		int indexed = 0;
		for (Found each : found) {
			try {
				index.accept(EntryFiles.read(each.path(), each.modified()));
				indexed++;
			}
			catch (EntryFiles.CorruptEntryException ex) {
				this.corrupt.increment();
				logger.warn("cache {}: {} is damaged ({}): deleted", this.zone, each.path(), ex.getMessage());
				deleteNow(each.path());
			}
			catch (IOException ex) {
				logger.warn("cache {}: {} cannot be read: {}", this.zone, each.path(), ex.toString());
			}
		}
		logger.info("cache {}: {} entries indexed from {}", this.zone, indexed, this.directory);
	}

	/** Stop taking work; wait a little for the writes already queued. */
	void close() {
		this.io.shutdown();
		try {
			this.io.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static String hash(String key) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest, 0, 16);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing", ex);
		}
	}

}
