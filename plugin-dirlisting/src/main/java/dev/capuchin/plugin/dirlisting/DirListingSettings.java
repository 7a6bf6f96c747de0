package dev.capuchin.plugin.dirlisting;

import java.util.List;
import java.util.Objects;

import dev.capuchin.plugin.dirlisting.internal.Glob;

/**
 * The plugin's global defaults. A site or location that switches listings on inherits
 * every value it does not set in its own {@code dirlisting:} block.
 *
 * @param theme the theme: {@code default} (built in) or a theme directory, relative to
 * the working directory
 * @param hide glob patterns of entry names left out of every listing
 * @param readme whether a {@code README.md}, {@code README.txt} or {@code README} is
 * shown below the list
 * @param maxEntries the most entries one listing shows; a larger directory is cut, with a
 * note, so that one request cannot make the server hold millions of entries
 * @param readmeMaxBytes the most bytes of a README shown; the rest is cut, with a mark
 * @param threads the threads that read directories, off the event loops
 */
public record DirListingSettings(String theme, List<String> hide, boolean readme, int maxEntries, int readmeMaxBytes,
		int threads) {

	/** The built-in theme. */
	public static final String DEFAULT_THEME = "default";

	/** Default for {@link #maxEntries()}. */
	public static final int DEFAULT_MAX_ENTRIES = 100_000;

	/** Default for {@link #readmeMaxBytes()}: 64 KiB. */
	public static final int DEFAULT_README_MAX_BYTES = 64 * 1024;

	/** Default for {@link #threads()}. */
	public static final int DEFAULT_THREADS = 4;

	public DirListingSettings {
		Objects.requireNonNull(theme, "theme");
		if (theme.isBlank()) {
			throw new IllegalArgumentException("theme: '" + theme + "' (expected: default or a theme directory)");
		}
		hide = List.copyOf(hide);
		for (int i = 0; i < hide.size(); i++) {
			try {
				Glob.compile(hide.get(i));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("hide[" + i + "]: " + ex.getMessage(), ex);
			}
		}
		if (maxEntries < 1) {
			throw new IllegalArgumentException("max-entries: " + maxEntries + " (expected: > 0)");
		}
		if (readmeMaxBytes < 1) {
			throw new IllegalArgumentException("readme-max-size: " + readmeMaxBytes + " (expected: > 0)");
		}
		if (threads < 1 || threads > 256) {
			throw new IllegalArgumentException("threads: " + threads + " (expected: 1..256)");
		}
	}

	/**
	 * The defaults: the built-in theme, nothing hidden by pattern, no README, 100,000
	 * entries, 64 KiB of README, four threads.
	 * @return the defaults
	 */
	public static DirListingSettings defaults() {
		return new DirListingSettings(DEFAULT_THEME, List.of(), false, DEFAULT_MAX_ENTRIES, DEFAULT_README_MAX_BYTES,
				DEFAULT_THREADS);
	}

	/**
	 * A copy with another theme.
	 * @param theme the theme
	 * @return the copy
	 */
	public DirListingSettings withTheme(String theme) {
		return new DirListingSettings(theme, this.hide, this.readme, this.maxEntries, this.readmeMaxBytes,
				this.threads);
	}

	/**
	 * A copy with other hide patterns.
	 * @param hide the patterns
	 * @return the copy
	 */
	public DirListingSettings withHide(List<String> hide) {
		return new DirListingSettings(this.theme, hide, this.readme, this.maxEntries, this.readmeMaxBytes,
				this.threads);
	}

	/**
	 * A copy with README display switched.
	 * @param readme whether READMEs are shown
	 * @return the copy
	 */
	public DirListingSettings withReadme(boolean readme) {
		return new DirListingSettings(this.theme, this.hide, readme, this.maxEntries, this.readmeMaxBytes,
				this.threads);
	}

	/**
	 * A copy with another entry cap.
	 * @param maxEntries the cap
	 * @return the copy
	 */
	public DirListingSettings withMaxEntries(int maxEntries) {
		return new DirListingSettings(this.theme, this.hide, this.readme, maxEntries, this.readmeMaxBytes,
				this.threads);
	}

}
