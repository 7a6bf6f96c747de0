package dev.capuchin.plugin.dirlisting.internal;

import java.util.Comparator;

import dev.capuchin.plugin.dirlisting.SortKey;
import dev.capuchin.plugin.dirlisting.SortOrder;

/**
 * One listed entry: what a listing keeps in memory per file, a few dozen bytes.
 *
 * @param name the entry's name in its directory
 * @param directory whether it is a directory
 * @param size the size in bytes (0 for a directory)
 * @param modified the last modification time, in milliseconds since the epoch
 */
public record Entry(String name, boolean directory, long size, long modified) {

	private static final Comparator<Entry> BY_NAME = Comparator.comparing(Entry::name, String.CASE_INSENSITIVE_ORDER)
		.thenComparing(Entry::name);

	/**
	 * The order of a listing: directories first, then by the key in the given direction,
	 * then by name.
	 * @param key the sort key
	 * @param order the direction
	 * @return the comparator
	 */
	public static Comparator<Entry> comparator(SortKey key, SortOrder order) {
		Comparator<Entry> byKey = switch (key) {
			case NAME -> BY_NAME;
			case SIZE -> Comparator.comparingLong(Entry::size);
			case TIME -> Comparator.comparingLong(Entry::modified);
		};
		if (order == SortOrder.DESC) {
			byKey = byKey.reversed();
		}
		return Comparator.comparing((Entry entry) -> !entry.directory()).thenComparing(byKey).thenComparing(BY_NAME);
	}

}
