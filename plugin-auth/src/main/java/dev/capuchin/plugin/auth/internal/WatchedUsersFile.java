package dev.capuchin.plugin.auth.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

import dev.capuchin.plugin.auth.UsersFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A users file and the users last read from it, re-read when it changes. Changes are
 * noticed by polling, not by a watch service: a request that finds the last check older
 * than {@link #CHECK_INTERVAL} compares the file's size, modification time and identity
 * (inode) with what was read, on the hashing scheduler, and re-reads the file when one
 * differs. That costs one {@code stat} per second per file while requests come, nothing
 * while idle, no thread, and works on every file system (also where inotify does not see
 * changes, as on network and some container mounts); a file replaced by an atomic move is
 * seen like one written in place.
 * <p>
 * A re-read that fails (a file being written, a refused entry, a deleted file) keeps the
 * previous users and logs an error once for that state of the file.
 */
public final class WatchedUsersFile implements UserSource {

	/** How often a file is compared with what was read, at most. */
	public static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);

	private static final Logger logger = LoggerFactory.getLogger(WatchedUsersFile.class);

	private static final AtomicLong generations = new AtomicLong();

	private final Path path;

	private final long checkNanos;

	private final Runnable onReload;

	private volatile Loaded loaded;

	private volatile long checkedAt;

	/** The last state of the file examined, read or refused; guarded by this. */
	private Stamp seen;

	/**
	 * Watch a file; nothing is read until {@link #prepare()}.
	 * @param path the absolute path
	 * @param checkInterval how often the file is compared, at most
	 * @param onReload called after the users were replaced
	 */
	public WatchedUsersFile(Path path, Duration checkInterval, Runnable onReload) {
		this.path = Objects.requireNonNull(path, "path");
		this.checkNanos = checkInterval.toNanos();
		this.onReload = Objects.requireNonNull(onReload, "onReload");
	}

	/**
	 * Read the file for a new site table, unless what was read is still current. Blocks:
	 * called on the control thread.
	 * @throws IllegalArgumentException naming the file, line and user when the file
	 * cannot be used; the users read before (if any) stay
	 */
	public synchronized void prepare() {
		Stamp stamp = stamp();
		Loaded current = this.loaded;
		if (current == null || stamp == null || !stamp.equals(current.stamp())) {
			this.seen = stamp;
			replace(UsersFile.load(this.path), stamp);
		}
		this.checkedAt = System.nanoTime();
	}

	/**
	 * Whether the file was compared recently enough that {@link #current()} may be used
	 * without a check.
	 * @param now the time from {@link System#nanoTime()}
	 * @return {@code true} when no check is due
	 */
	@Override
	public boolean isFresh(long now) {
		return now - this.checkedAt < this.checkNanos;
	}

	/**
	 * The users last read, without checking the file.
	 * @return the users and their generation
	 */
	@Override
	public Loaded current() {
		return this.loaded;
	}

	/**
	 * The users, after comparing the file with what was read when a check is due and
	 * re-reading it when it changed. Blocks: call it off the event loops.
	 * @param now the time from {@link System#nanoTime()}
	 * @return the users and their generation
	 */
	@Override
	public Loaded refresh(long now) {
		if (isFresh(now)) {
			return this.loaded;
		}
		synchronized (this) {
			if (isFresh(System.nanoTime())) {
				return this.loaded;
			}
			Stamp stamp = stamp();
			if (stamp == null) {
				if (this.seen != null) {
					logger.error("users file {}: no longer readable; keeping its {} users", this.path,
							this.loaded.users().users().size());
				}
				this.seen = null;
			}
			else if (!stamp.equals(this.seen)) {
				this.seen = stamp;
				try {
					replace(UsersFile.load(this.path), stamp);
					logger.info("users file {}: reloaded, {} users", this.path, this.loaded.users().users().size());
				}
				catch (IllegalArgumentException ex) {
					logger.error("users file reload refused, keeping the previous {} users: {}",
							this.loaded.users().users().size(), ex.getMessage());
				}
			}
			this.checkedAt = System.nanoTime();
			return this.loaded;
		}
	}

	/**
	 * The file's path.
	 * @return the path
	 */
	public Path path() {
		return this.path;
	}

	@Override
	public String cacheName() {
		return this.path.toString();
	}

	private void replace(UsersFile users, Stamp stamp) {
		this.loaded = new Loaded(users, stamp, generations.incrementAndGet());
		this.onReload.run();
	}

	private Stamp stamp() {
		try {
			BasicFileAttributes attributes = Files.readAttributes(this.path, BasicFileAttributes.class);
			return new Stamp(attributes.size(), attributes.lastModifiedTime(), attributes.fileKey());
		}
		catch (NoSuchFileException ex) {
			return null;
		}
		catch (IOException ex) {
			logger.debug("users file {}: cannot be examined: {}", this.path, ex.toString());
			return null;
		}
	}

	/**
	 * Users read from the file, and a number that changes with every read so that what
	 * was verified against older users is not trusted.
	 *
	 * @param users the users
	 * @param stamp the state of the file they were read from, or {@code null} for
	 * {@link InlineUsers}
	 * @param generation unique to this read
	 */
	public record Loaded(UsersFile users, Stamp stamp, long generation) {

	}

	/**
	 * What tells one state of a file from another without reading it.
	 *
	 * @param size the size in bytes
	 * @param modified the modification time
	 * @param key the file's identity (device and inode), or {@code null}
	 */
	public record Stamp(long size, FileTime modified, Object key) {

	}

}
