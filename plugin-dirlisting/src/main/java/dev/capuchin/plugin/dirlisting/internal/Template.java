package dev.capuchin.plugin.dirlisting.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * One part of a theme: text with {@code {{placeholder}}} slots. Every placeholder is
 * checked against the names its part offers when the theme is loaded, and every value is
 * HTML-escaped when it is rendered: a theme cannot insert raw markup from a value.
 */
public final class Template {

	private final String[] literals;

	private final String[] names;

	private Template(String[] literals, String[] names) {
		this.literals = literals;
		this.names = names;
	}

	/**
	 * Parse a template.
	 * @param text the template's text
	 * @param allowed the placeholder names its part offers
	 * @return the template
	 * @throws IllegalArgumentException for an unknown or unclosed placeholder
	 */
	public static Template parse(String text, Set<String> allowed) {
		List<String> literals = new ArrayList<>();
		List<String> names = new ArrayList<>();
		int at = 0;
		while (true) {
			int open = text.indexOf("{{", at);
			if (open < 0) {
				break;
			}
			int close = text.indexOf("}}", open + 2);
			if (close < 0) {
				throw new IllegalArgumentException("line " + line(text, open) + ": '{{' without '}}'");
			}
			String name = text.substring(open + 2, close).trim();
			if (!allowed.contains(name)) {
				throw new IllegalArgumentException("line " + line(text, open) + ": unknown placeholder {{" + name
						+ "}} (expected one of: " + String.join(", ", new TreeSet<>(allowed)) + ")");
			}
			literals.add(text.substring(at, open));
			names.add(name);
			at = close + 2;
		}
		literals.add(text.substring(at));
		return new Template(literals.toArray(String[]::new), names.toArray(String[]::new));
	}

	/**
	 * Render the template, escaping every value for HTML.
	 * @param values the value of each placeholder name
	 * @param out where the text goes
	 */
	public void render(Function<String, String> values, StringBuilder out) {
		for (int i = 0; i < this.names.length; i++) {
			out.append(this.literals[i]);
			String value = values.apply(this.names[i]);
			if (value != null) {
				Escape.html(value, out);
			}
		}
		out.append(this.literals[this.names.length]);
	}

	/**
	 * The placeholder names the template uses, in order.
	 * @return the names
	 */
	public List<String> placeholders() {
		return List.of(this.names);
	}

	private static int line(String text, int index) {
		int line = 1;
		for (int i = 0; i < index; i++) {
			if (text.charAt(i) == '\n') {
				line++;
			}
		}
		return line;
	}

}
