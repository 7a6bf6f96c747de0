package dev.capuchin.plugin.dirlisting.internal;

import java.util.Locale;

/**
 * File sizes for people: bytes below 1 KiB, then KiB, MiB and GiB with one decimal
 * (binary units, as {@code ls -h} counts).
 */
public final class HumanSize {

	private static final String[] UNITS = { "KiB", "MiB", "GiB" };

	private HumanSize() {
	}

	/**
	 * Format a size.
	 * @param bytes the size in bytes
	 * @return e.g. {@code 512 B}, {@code 1.5 KiB}, {@code 3.0 GiB}
	 */
	public static String format(long bytes) {
		if (bytes < 1024) {
			return bytes + " B";
		}
		double value = bytes;
		int unit = -1;
		// move up while the value would show as 1024.0 or more in this unit
		while (unit < UNITS.length - 1 && Math.round(value * 10) >= 1024 * 10) {
			value /= 1024;
			unit++;
		}
		return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
	}

}
