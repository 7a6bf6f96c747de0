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
import java.util.Optional;

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
 * line number. {@link #rule(String, String)} reads one entry, for callers that walk the
 * file themselves (the import of a whole Monkey configuration).
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
			Optional<Rule> rule;
			try {
				rule = rule(line.substring(0, space), line.substring(space));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("line " + number + ": " + ex.getMessage(), ex);
			}
			if (rule.isEmpty()) {
				throw invalid(number, lines[i], "one of the keys IP, URL, deny_hotlink");
			}
			switch (rule.get().kind()) {
				case IP -> ips.add(rule.get().address());
				case URL -> urls.add(rule.get().path());
				case DENY_HOTLINK -> hotlinks.add(rule.get().path());
			}
		}
		return new MandrilRules(new IpRules(List.of(), ips), urls, hotlinks, RateLimit.OFF);
	}

	/**
	 * Read one entry of the {@code [RULES]} section.
	 * @param key the entry's key, in any case
	 * @param value the entry's value
	 * @return the rule, or empty when the key is not one of {@code IP}, {@code URL},
	 * {@code deny_hotlink}
	 * @throws IllegalArgumentException when the value is not valid for the key (an
	 * address that is not one, an empty path)
	 */
	public static Optional<Rule> rule(String key, String value) {
		Objects.requireNonNull(key, "key");
		Objects.requireNonNull(value, "value");
		String text = value.strip();
		return switch (key.strip().toUpperCase(Locale.ROOT)) {
			case "IP" -> Optional.of(new Rule(RuleKind.IP, Cidr.parse(text), null));
			case "URL" -> Optional.of(new Rule(RuleKind.URL, null, PathRule.substring(text, true)));
			case "DENY_HOTLINK" -> Optional.of(new Rule(RuleKind.DENY_HOTLINK, null, PathRule.substring(text, true)));
			default -> Optional.empty();
		};
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

	/** What a {@code [RULES]} entry denies. */
	public enum RuleKind {

		/** {@code IP}: a client address or block, refused at {@code CONNECT}. */
		IP,

		/** {@code URL}: a path substring, regardless of case, refused with 403. */
		URL,

		/**
		 * {@code deny_hotlink}: a path substring, regardless of case, refused with 403 to
		 * foreign referrers.
		 */
		DENY_HOTLINK

	}

	/**
	 * One entry of the {@code [RULES]} section.
	 *
	 * @param kind what it denies
	 * @param address the address block of an {@code IP} rule, else {@code null}
	 * @param path the case-insensitive substring rule of a {@code URL} or
	 * {@code deny_hotlink} rule, else {@code null}
	 */
	public record Rule(RuleKind kind, Cidr address, PathRule path) {

		public Rule {
			Objects.requireNonNull(kind, "kind");
			if ((kind == RuleKind.IP) != (address != null) || (kind != RuleKind.IP) != (path != null)) {
				throw new IllegalArgumentException(
						kind + " rule: expected " + ((kind == RuleKind.IP) ? "an address" : "a path"));
			}
		}

	}

}
