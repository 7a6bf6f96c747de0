package dev.capuchin.plugin.dirlisting.internal;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.regex.PatternSyntaxException;

/**
 * Shell-style patterns for entry names: {@code *} any run of characters, {@code ?} one
 * character, {@code [abc]}, {@code [a-z]} and {@code [!abc]} (or {@code [^abc]}) one
 * character of (or not of) a set, a {@code ]} first in a set as one of its characters,
 * and {@code \} to take the next character literally; braces are plain characters. A
 * pattern matches the whole name, case-sensitively.
 * <p>
 * Matching is the JDK's {@link PathMatcher} ({@code glob:} syntax); this class only
 * checks a pattern and rewrites the few places where the JDK's syntax differs from the
 * one listings have always accepted: braces (groups for the JDK), {@code [^} and a
 * {@code ]} first in a set.
 */
public final class Glob {

	private Glob() {
	}

	/**
	 * Compile a pattern.
	 * @param glob the pattern
	 * @return a matcher of {@link #name(String) names}
	 * @throws IllegalArgumentException when the pattern is empty, contains {@code /},
	 * ends in a lone {@code \}, has an unclosed {@code [} or a range from high to low
	 */
	public static PathMatcher compile(String glob) {
		if (glob.isEmpty()) {
			throw new IllegalArgumentException("'' (expected: a pattern such as *.bak)");
		}
		if (glob.indexOf('/') >= 0) {
			throw new IllegalArgumentException("'" + glob + "' (expected: a pattern for a name, without /)");
		}
		StringBuilder jdk = new StringBuilder(glob.length() + 8);
		int i = 0;
		while (i < glob.length()) {
			char c = glob.charAt(i);
			switch (c) {
				case '{', '}' -> jdk.append('\\').append(c);
				case '\\' -> {
					if (i + 1 >= glob.length()) {
						throw new IllegalArgumentException("'" + glob + "' (expected: a character after \\)");
					}
					i++;
					jdk.append('\\').append(glob.charAt(i));
				}
				case '[' -> i = set(glob, i, jdk);
				default -> jdk.append(c);
			}
			i++;
		}
		try {
			return FileSystems.getDefault().getPathMatcher("glob:" + jdk);
		}
		catch (PatternSyntaxException ex) {
			throw new IllegalArgumentException(
					"'" + glob + "': " + ex.getDescription() + " (expected: a pattern such as *.bak)", ex);
		}
	}

	/**
	 * The path a {@link #compile(String) matcher} is given for an entry name.
	 * @param name a file name, without {@code /}
	 * @return the name as a relative path of one segment
	 */
	public static Path name(String name) {
		return Path.of(name);
	}

	/**
	 * Check and rewrite the set starting at {@code start}; returns the index of its
	 * {@code ]}.
	 */
	private static int set(String glob, int start, StringBuilder jdk) {
		int i = start + 1;
		boolean negated = i < glob.length() && (glob.charAt(i) == '!' || glob.charAt(i) == '^');
		if (negated) {
			i++;
		}
		int first = i;
		while (i < glob.length() && (glob.charAt(i) != ']' || i == first)) {
			if (glob.charAt(i) == '-' && i != first && i + 1 < glob.length() && glob.charAt(i + 1) != ']'
					&& glob.charAt(i - 1) > glob.charAt(i + 1)) {
				throw new IllegalArgumentException("'" + glob + "' (expected: a range from low to high)");
			}
			i++;
		}
		if (i >= glob.length()) {
			throw new IllegalArgumentException("'" + glob + "' (expected: ] to close [)");
		}
		String members = glob.substring(first, i);
		if (members.charAt(0) != ']') {
			jdk.append(negated ? "[!" : "[").append(members).append(']');
			return i;
		}
		// the JDK ends a set at any ], so a ] that is a member becomes an alternative
		String rest = members.substring(1);
		if (negated || rest.startsWith("-")) {
			throw new IllegalArgumentException(
					"'" + glob + "' (expected: ] first in a set only beside other characters, as in []abc])");
		}
		jdk.append(rest.isEmpty() ? "\\]" : "{\\],[" + rest + "]}");
		return i;
	}

}
