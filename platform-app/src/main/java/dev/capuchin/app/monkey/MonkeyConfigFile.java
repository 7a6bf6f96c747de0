package dev.capuchin.app.monkey;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One file of Monkey's configuration format, read by {@link MonkeyConfigParser}: its
 * sections in file order, each with its entries in file order, every one with the line it
 * came from.
 *
 * @param name the file's name relative to the configuration directory
 * ({@code monkey.conf}, {@code sites/default}), as reports and refusals name it
 * @param sections the sections, in file order
 */
public record MonkeyConfigFile(String name, List<Section> sections) {

	public MonkeyConfigFile {
		Objects.requireNonNull(name, "name");
		sections = List.copyOf(sections);
	}

	/**
	 * The sections of a name, in file order (Monkey compares section names regardless of
	 * case).
	 * @param sectionName the name without brackets
	 * @return the sections, possibly none
	 */
	public List<Section> sections(String sectionName) {
		return this.sections.stream().filter((section) -> section.is(sectionName)).toList();
	}

	/**
	 * One {@code [NAME]} section.
	 *
	 * @param name the name as written, without brackets
	 * @param line the line of its header
	 * @param entries its entries, in file order
	 */
	public record Section(String name, int line, List<Entry> entries) {

		public Section {
			Objects.requireNonNull(name, "name");
			entries = List.copyOf(entries);
		}

		/**
		 * Whether this section has a name, regardless of case.
		 * @param sectionName the name without brackets
		 * @return {@code true} when it does
		 */
		public boolean is(String sectionName) {
			return this.name.equalsIgnoreCase(sectionName);
		}

		/**
		 * The name as reports show it: upper case, in brackets.
		 * @return {@code [NAME]}
		 */
		public String label() {
			return "[" + this.name.toUpperCase(Locale.ROOT) + "]";
		}

	}

	/**
	 * One indented {@code Key value} line.
	 *
	 * @param key the key as written
	 * @param value the value, trimmed, never empty
	 * @param line the line number, from 1
	 */
	public record Entry(String key, String value, int line) {

		public Entry {
			Objects.requireNonNull(key, "key");
			Objects.requireNonNull(value, "value");
		}

		/**
		 * Whether this entry has a key, regardless of case (as Monkey reads keys).
		 * @param name the key
		 * @return {@code true} when it does
		 */
		public boolean is(String name) {
			return this.key.equalsIgnoreCase(name);
		}

	}

}
