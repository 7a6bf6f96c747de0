package dev.capuchin.plugin.dirlisting.internal;

import java.util.List;

/**
 * A directory as read for one request: its visible entries in sort order, and its README.
 *
 * @param entries the entries, sorted
 * @param truncated whether the directory had more visible entries than the cap
 * @param readme the README shown below the list, or {@code null}
 */
public record Listing(List<Entry> entries, boolean truncated, Readme readme) {

	/**
	 * A README's name and text.
	 *
	 * @param name the file name
	 * @param text the text, decoded as UTF-8 and cut at the configured size
	 * @param cut whether the file was longer than what is shown
	 */
	public record Readme(String name, String text, boolean cut) {

	}

}
