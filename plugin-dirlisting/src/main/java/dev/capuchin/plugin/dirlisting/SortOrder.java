package dev.capuchin.plugin.dirlisting;

import java.util.Locale;

/**
 * The direction of a listing's sort.
 */
public enum SortOrder {

	/** Smallest, oldest or first in the alphabet first. */
	ASC,

	/** Largest, newest or last in the alphabet first. */
	DESC;

	/**
	 * The order as written in a query or a site file.
	 * @return {@code asc} or {@code desc}
	 */
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * The other direction.
	 * @return {@code DESC} for {@code ASC} and the other way round
	 */
	public SortOrder reversed() {
		return (this == ASC) ? DESC : ASC;
	}

	/**
	 * The order for a value of {@code ?order=} or a site file's {@code order:}.
	 * @param value the value, lower case
	 * @return the order, or {@code null} when the value names none
	 */
	public static SortOrder of(String value) {
		for (SortOrder order : values()) {
			if (order.value().equals(value)) {
				return order;
			}
		}
		return null;
	}

}
