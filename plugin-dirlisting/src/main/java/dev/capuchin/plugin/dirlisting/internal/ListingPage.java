package dev.capuchin.plugin.dirlisting.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

import dev.capuchin.core.spi.RequestPaths;
import dev.capuchin.plugin.dirlisting.SortKey;
import dev.capuchin.plugin.dirlisting.SortOrder;

/**
 * What one listing response shows: the directory's path, its entries in the requested
 * order and the rule in force, with the values that every format derives from them.
 *
 * @param path the directory's decoded request path, ending with {@code /}
 * @param sort the sort key in force
 * @param order the sort direction in force
 * @param listing the entries
 * @param rule the rule in force
 */
public record ListingPage(String path, SortKey sort, SortOrder order, Listing listing, ListingRule rule) {

	private static final DateTimeFormatter SHORT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
		.withZone(ZoneOffset.UTC);

	/**
	 * An entry's link: its absolute path, percent-encoded, with a slash after a
	 * directory.
	 * @param entry the entry
	 * @return the encoded path
	 */
	public String href(Entry entry) {
		return RequestPaths.encode(this.path + entry.name() + (entry.directory() ? "/" : ""));
	}

	/**
	 * The parent directory's link.
	 * @return the encoded path of the parent, or {@code null} at the root
	 */
	public String parentHref() {
		if (this.path.equals("/")) {
			return null;
		}
		int slash = this.path.lastIndexOf('/', this.path.length() - 2);
		return RequestPaths.encode(this.path.substring(0, slash + 1));
	}

	/**
	 * An entry's modification time as ISO-8601 in UTC, to the second.
	 * @param entry the entry
	 * @return e.g. {@code 2024-01-02T03:04:05Z}
	 */
	public static String modified(Entry entry) {
		return Instant.ofEpochMilli(entry.modified()).truncatedTo(ChronoUnit.SECONDS).toString();
	}

	/**
	 * An entry's modification time for people, in UTC, to the minute.
	 * @param entry the entry
	 * @return e.g. {@code 2024-01-02 03:04}
	 */
	public static String modifiedText(Entry entry) {
		return SHORT_TIME.format(Instant.ofEpochMilli(entry.modified()));
	}

	/**
	 * The number of entries in words.
	 * @return e.g. {@code 1 entry} or {@code 12 entries}
	 */
	public String countText() {
		int count = this.listing.entries().size();
		return count + ((count == 1) ? " entry" : " entries");
	}

	/**
	 * A sentence about the listing, for a caption.
	 * @return e.g. {@code 12 entries, sorted by name, ascending}
	 */
	public String summary() {
		String by = switch (this.sort) {
			case NAME -> "name";
			case SIZE -> "size";
			case TIME -> "modification time";
		};
		return countText() + ", sorted by " + by + ", " + ((this.order == SortOrder.ASC) ? "ascending" : "descending");
	}

	/**
	 * The query that sorts by a key: the other direction for the current key, ascending
	 * for the others.
	 * @param key the key
	 * @return e.g. {@code ?sort=size&order=asc}
	 */
	public String sortHref(SortKey key) {
		SortOrder next = (key == this.sort) ? this.order.reversed() : SortOrder.ASC;
		return "?sort=" + key.value() + "&order=" + next.value();
	}

	/**
	 * The {@code aria-sort} state of a column.
	 * @param key the column's key
	 * @return {@code ascending}, {@code descending} or {@code none}
	 */
	public String ariaSort(SortKey key) {
		if (key != this.sort) {
			return "none";
		}
		return (this.order == SortOrder.ASC) ? "ascending" : "descending";
	}

}
