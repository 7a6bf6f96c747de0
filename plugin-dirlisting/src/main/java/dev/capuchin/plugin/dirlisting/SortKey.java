package dev.capuchin.plugin.dirlisting;

import java.util.Locale;

/**
 * What a listing is sorted by; directories always come before files.
 */
public enum SortKey {

	/** The entry's name, case-insensitively, then case-sensitively. */
	NAME,

	/** The file's size in bytes; directories, which have none, by name. */
	SIZE,

	/** The entry's last modification time. */
	TIME;

	/**
	 * The key as written in a query or a site file.
	 * @return {@code name}, {@code size} or {@code time}
	 */
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * The key for a value of {@code ?sort=} or a site file's {@code sort:}.
	 * @param value the value, lower case
	 * @return the key, or {@code null} when the value names none
	 */
	public static SortKey of(String value) {
		for (SortKey key : values()) {
			if (key.value().equals(value)) {
				return key;
			}
		}
		return null;
	}

}
