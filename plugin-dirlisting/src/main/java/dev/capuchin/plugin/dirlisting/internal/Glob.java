package dev.capuchin.plugin.dirlisting.internal;

import java.util.regex.Pattern;

/**
 * Shell-style patterns for entry names: {@code *} any run of characters, {@code ?} one
 * character, {@code [abc]}, {@code [a-z]} and {@code [!abc]} one character of (or not of)
 * a set, and {@code \} to take the next character literally. A pattern matches the whole
 * name, case-sensitively.
 */
public final class Glob {

	private Glob() {
	}

	/**
	 * Compile a pattern.
	 * @param glob the pattern
	 * @return the regular expression that matches the same names
	 * @throws IllegalArgumentException when the pattern is empty, contains {@code /} or
	 * has an unclosed {@code [}
	 */
	public static Pattern compile(String glob) {
		if (glob.isEmpty()) {
			throw new IllegalArgumentException("'' (expected: a pattern such as *.bak)");
		}
		if (glob.indexOf('/') >= 0) {
			throw new IllegalArgumentException("'" + glob + "' (expected: a pattern for a name, without /)");
		}
		StringBuilder regex = new StringBuilder(glob.length() + 16);
		int i = 0;
		while (i < glob.length()) {
			char c = glob.charAt(i);
			switch (c) {
				case '*' -> regex.append(".*");
				case '?' -> regex.append('.');
				case '\\' -> {
					if (i + 1 >= glob.length()) {
						throw new IllegalArgumentException("'" + glob + "' (expected: a character after \\)");
					}
					i++;
					literal(glob.charAt(i), regex);
				}
				case '[' -> i = set(glob, i, regex);
				default -> literal(c, regex);
			}
			i++;
		}
		return Pattern.compile(regex.toString(), Pattern.DOTALL);
	}

	/**
	 * Translate the set starting at {@code start}; returns the index of its {@code ]}.
	 */
	private static int set(String glob, int start, StringBuilder regex) {
		int i = start + 1;
		regex.append('[');
		if (i < glob.length() && (glob.charAt(i) == '!' || glob.charAt(i) == '^')) {
			regex.append('^');
			i++;
		}
		int first = i;
		while (i < glob.length() && (glob.charAt(i) != ']' || i == first)) {
			char c = glob.charAt(i);
			if (c == '-' && i != first && i + 1 < glob.length() && glob.charAt(i + 1) != ']') {
				if (glob.charAt(i - 1) > glob.charAt(i + 1)) {
					throw new IllegalArgumentException("'" + glob + "' (expected: a range from low to high)");
				}
				regex.append('-');
			}
			else {
				literal(c, regex);
			}
			i++;
		}
		if (i >= glob.length()) {
			throw new IllegalArgumentException("'" + glob + "' (expected: ] to close [)");
		}
		regex.append(']');
		return i;
	}

	/** A character matched as itself: every one that is not a letter or digit escaped. */
	private static void literal(char c, StringBuilder regex) {
		if (!Character.isLetterOrDigit(c)) {
			regex.append('\\');
		}
		regex.append(c);
	}

}
