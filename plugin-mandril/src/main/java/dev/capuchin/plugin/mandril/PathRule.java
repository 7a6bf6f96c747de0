package dev.capuchin.plugin.mandril;

import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A rule on the request path, matched against the kernel's percent-decoded, normalized
 * path so that no encoding dodges it: a substring ({@code /secret}), or a regular
 * expression found anywhere in the path ({@code regex:\.bak$}).
 *
 * @param expression the substring, or the regular expression's source
 * @param regex the compiled expression, or {@code null} for a substring rule
 * @param ignoreCase whether a substring matches regardless of case (Monkey's {@code URL}
 * rules); regular expressions carry their own flags ({@code (?i)})
 */
public record PathRule(String expression, Pattern regex, boolean ignoreCase) {

	/** The prefix that marks a regular expression. */
	public static final String REGEX_PREFIX = "regex:";

	public PathRule {
		Objects.requireNonNull(expression, "expression");
		if (expression.isEmpty()) {
			throw new IllegalArgumentException("an empty rule would match every path");
		}
	}

	/**
	 * Parse a rule: {@code regex:<expression>} or a case-sensitive substring.
	 * @param text the rule
	 * @return the rule
	 * @throws IllegalArgumentException when it is empty or not a valid expression
	 */
	public static PathRule parse(String text) {
		if (text == null || text.isEmpty()) {
			throw new IllegalArgumentException("an empty rule would match every path");
		}
		if (!text.startsWith(REGEX_PREFIX)) {
			return new PathRule(text, null, false);
		}
		String source = text.substring(REGEX_PREFIX.length());
		if (source.isEmpty()) {
			throw new IllegalArgumentException("'" + text + "' has an empty regular expression");
		}
		try {
			return new PathRule(source, Pattern.compile(source), false);
		}
		catch (PatternSyntaxException ex) {
			throw new IllegalArgumentException("'" + text + "' is not a valid regular expression", ex);
		}
	}

	/**
	 * A substring rule.
	 * @param substring the text to find in the path
	 * @param ignoreCase whether case is ignored
	 * @return the rule
	 */
	public static PathRule substring(String substring, boolean ignoreCase) {
		return new PathRule(substring, null, ignoreCase);
	}

	/**
	 * Whether a normalized path matches.
	 * @param path the decoded, normalized path
	 * @return {@code true} on a match
	 */
	public boolean matches(String path) {
		if (this.regex != null) {
			return this.regex.matcher(path).find();
		}
		if (!this.ignoreCase) {
			return path.contains(this.expression);
		}
		int length = this.expression.length();
		for (int i = 0, last = path.length() - length; i <= last; i++) {
			if (path.regionMatches(true, i, this.expression, 0, length)) {
				return true;
			}
		}
		return false;
	}

	@Override
	public String toString() {
		return (this.regex != null) ? REGEX_PREFIX + this.expression : this.expression;
	}

}
