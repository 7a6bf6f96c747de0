package dev.capuchin.plugin.dirlisting.internal;

import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;

import dev.capuchin.plugin.dirlisting.SortKey;
import dev.capuchin.plugin.dirlisting.SortOrder;

/**
 * The listing settings in force for a site or a location, compiled: the site-wide block
 * over the global defaults, and a location's block over its site's.
 *
 * @param enabled whether directories without an index file are listed
 * @param theme the HTML theme
 * @param hide the hide patterns as written
 * @param hidePatterns the hide patterns, compiled
 * @param readme whether a README is shown below the list
 * @param sort the sort key when the request names none
 * @param order the sort direction when the request names none
 * @param maxEntries the most entries listed
 * @param readmeMaxBytes the most bytes of a README shown
 */
public record ListingRule(boolean enabled, Theme theme, List<String> hide, List<PathMatcher> hidePatterns,
		boolean readme, SortKey sort, SortOrder order, int maxEntries, int readmeMaxBytes) {

	public ListingRule {
		hide = List.copyOf(hide);
		hidePatterns = List.copyOf(hidePatterns);
	}

	/**
	 * Whether an entry name matches a hide pattern.
	 * @param name the entry's name
	 * @return {@code true} when it is left out
	 */
	public boolean hides(String name) {
		if (this.hidePatterns.isEmpty()) {
			return false;
		}
		Path path = Glob.name(name);
		for (PathMatcher pattern : this.hidePatterns) {
			if (pattern.matches(path)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether any segment of a path matches a hide pattern, so that a hidden directory is
	 * not listed when asked for by name either.
	 * @param path a normalized path
	 * @return {@code true} when a segment is hidden
	 */
	public boolean hidesAnySegment(String path) {
		if (this.hidePatterns.isEmpty()) {
			return false;
		}
		int start = 1;
		while (start < path.length()) {
			int end = path.indexOf('/', start);
			if (end < 0) {
				end = path.length();
			}
			if (end > start && hides(path.substring(start, end))) {
				return true;
			}
			start = end + 1;
		}
		return false;
	}

}
