package dev.capuchin.core.internal.http;

import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Paths recently found free of symbolic links, so that a popular file does not cost a
 * {@code realpath(3)} walk on every request. An entry is trusted for
 * {@link #VALIDITY_NANOS} (one second, like nginx's {@code open_file_cache_valid} with
 * {@code disable_symlinks}): a link swapped into a path is refused at most that long
 * after it appeared. Bounded: when full, the cache starts over.
 */
final class LinkFreePaths {

	/** How long a check is trusted. */
	static final long VALIDITY_NANOS = 1_000_000_000L;

	/** The most paths remembered. */
	static final int MAX_ENTRIES = 16_384;

	private static final ConcurrentHashMap<Path, Long> CHECKED = new ConcurrentHashMap<>();

	private LinkFreePaths() {
	}

	static boolean contains(Path file) {
		Long checked = CHECKED.get(file);
		return checked != null && System.nanoTime() - checked < VALIDITY_NANOS;
	}

	static void add(Path file) {
		if (CHECKED.size() >= MAX_ENTRIES) {
			CHECKED.clear();
		}
		CHECKED.put(file, System.nanoTime());
	}

}
