package dev.capuchin.plugin.mandril;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Reads Monkey's {@code mandril.conf}: a {@code [RULES]} section whose entries are deny
 * rules, one per line, indented, key and value separated by white space:
 *
 * <pre>
 * [RULES]
 *     IP 10.0.0.0/8
 *     URL /secret
 *     deny_hotlink /images/
 * </pre>
 *
 * {@code IP} denies an address or block, {@code URL} a path substring and
 * {@code deny_hotlink} a path substring to foreign referrers. Keys are case-insensitive
 * and, as in Monkey, path substrings match regardless of case. Lines starting with
 * {@code #} are comments; other sections are skipped. Anything else is refused with its
 * line number.
 */
public final class MonkeyMandrilConfig {

	private static final String RULES = "RULES";

	private MonkeyMandrilConfig() {
	}

	/**
	 * Read a {@code mandril.conf} file.
	 * @param file the file
	 * @return its rules
	 * @throws IllegalArgumentException naming the file and line of an invalid entry
	 * @throws UncheckedIOException when the file cannot be read
	 */
	public static MandrilRules parse(Path file) {
		Objects.requireNonNull(file, "file");
		String content;
		try {
			content = Files.readString(file, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read " + file + ": " + ex.getMessage(), ex);
		}
		try {
			return parse(content);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(file + " " + ex.getMessage(), ex);
		}
	}

	/**
	 * Parse the text of a {@code mandril.conf} file.
	 * @param content the text
	 * @return its rules
	 * @throws IllegalArgumentException naming the line of an invalid entry
	 */
	public static MandrilRules parse(String content) {
		Objects.requireNonNull(content, "content");
		List<Cidr> ips = new ArrayList<>();
		List<PathRule> urls = new ArrayList<>();
		List<PathRule> hotlinks = new ArrayList<>();
		String section = null;
		String[] lines = content.split("\n", -1);
		for (int i = 0; i < lines.length; i++) {
			int number = i + 1;
			String line = lines[i].strip();
			if (line.isEmpty() || line.startsWith("#")) {
				continue;
			}
			if (line.startsWith("[")) {
				if (!line.endsWith("]") || line.length() < 3) {
					throw invalid(number, lines[i], "a section header such as [RULES]");
				}
				section = line.substring(1, line.length() - 1).strip();
				continue;
			}
			if (section == null) {
				throw invalid(number, lines[i], "[RULES] before the first entry");
			}
			if (!section.equalsIgnoreCase(RULES)) {
				continue;
			}
			int space = indexOfWhitespace(line);
			if (space < 0) {
				throw invalid(number, lines[i], "a key and a value, such as 'IP 10.0.0.0/8'");
			}
			String key = line.substring(0, space).toUpperCase(Locale.ROOT);
			String value = line.substring(space).strip();
			try {
				switch (key) {
					case "IP" -> ips.add(Cidr.parse(value));
					case "URL" -> urls.add(PathRule.substring(value, true));
					case "DENY_HOTLINK" -> hotlinks.add(PathRule.substring(value, true));
					default -> throw invalid(number, lines[i], "one of the keys IP, URL, deny_hotlink");
				}
			}
			catch (IllegalArgumentException ex) {
				if (ex.getMessage().startsWith("line ")) {
					throw ex;
				}
				throw new IllegalArgumentException("line " + number + ": " + ex.getMessage(), ex);
			}
		}
		return new MandrilRules(new IpRules(List.of(), ips), urls, hotlinks, RateLimit.OFF);
	}

	private static int indexOfWhitespace(String text) {
		for (int i = 0; i < text.length(); i++) {
			if (Character.isWhitespace(text.charAt(i))) {
				return i;
			}
		}
		return -1;
	}

	private static IllegalArgumentException invalid(int number, String line, String expected) {
		return new IllegalArgumentException("line " + number + ": '" + line.strip() + "' (expected: " + expected + ")");
	}

}
