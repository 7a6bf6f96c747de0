package dev.capuchin.plugin.dirlisting.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import dev.capuchin.core.spi.StrictUtf8;

/**
 * An HTML listing theme: the templates of a page's parts, read from a theme directory or
 * from the built-in themes under {@code dev/capuchin/plugin/dirlisting/themes/}. A theme
 * directory must have {@code header.html}, {@code entry.html} and {@code footer.html}. Of
 * the parts it leaves out, the truncation note and the README block come from the
 * built-in default theme (they are self-contained blocks that fit any page), and the
 * parent row and the end are empty (their markup belongs to a page's own structure).
 */
public final class Theme {

	/** The largest template file read. */
	static final int MAX_TEMPLATE_BYTES = 64 * 1024;

	private static final String RESOURCES = "/dev/capuchin/plugin/dirlisting/themes/";

	private static final Template EMPTY = Template.parse("", Set.of());

	/** Placeholders every part offers: the page's values. */
	static final Set<String> PAGE = Set.of("title", "path", "summary", "count", "sort", "order", "sort-name-href",
			"sort-size-href", "sort-time-href", "aria-sort-name", "aria-sort-size", "aria-sort-time");

	private final String source;

	private final Map<Part, Template> parts;

	private Theme(String source, Map<Part, Template> parts) {
		this.source = source;
		this.parts = parts;
	}

	/**
	 * A theme shipped with the plugin.
	 * @param name the theme's name
	 * @return the theme, or {@code null} when there is no built-in theme of that name
	 */
	public static Theme builtIn(String name) {
		if (!name.matches("[a-z0-9-]+")) {
			return null;
		}
		Map<Part, Template> parts = new EnumMap<>(Part.class);
		for (Part part : Part.values()) {
			String resource = RESOURCES + name + "/" + part.file;
			try (InputStream in = Theme.class.getResourceAsStream(resource)) {
				if (in == null) {
					if (part == Part.HEADER) {
						return null;
					}
					throw new IllegalStateException("built-in theme " + name + " has no " + part.file);
				}
				parts.put(part, parse(in.readNBytes(MAX_TEMPLATE_BYTES + 1), part, resource));
			}
			catch (IOException ex) {
				throw new IllegalStateException("built-in theme " + name + ": " + resource + ": " + ex.getMessage(),
						ex);
			}
		}
		return new Theme("built-in " + name, parts);
	}

	/**
	 * Read a theme directory. Blocks on file I/O: call it where settings are prepared,
	 * never per request.
	 * @param directory the theme directory
	 * @param fallback the theme that provides the optional parts the directory leaves out
	 * @return the theme
	 * @throws IllegalArgumentException naming the file at fault when a required part is
	 * missing, a file cannot be read or a template is invalid
	 */
	public static Theme load(Path directory, Theme fallback) {
		if (!Files.isDirectory(directory)) {
			throw new IllegalArgumentException(directory + " (expected: a theme directory)");
		}
		Map<Part, Template> parts = new EnumMap<>(Part.class);
		for (Part part : Part.values()) {
			Path file = directory.resolve(part.file);
			byte[] bytes;
			try (InputStream in = Files.newInputStream(file)) {
				bytes = in.readNBytes(MAX_TEMPLATE_BYTES + 1);
			}
			catch (NoSuchFileException ex) {
				if (part.required) {
					throw new IllegalArgumentException(file + ": missing (expected: header.html, entry.html and "
							+ "footer.html in a theme directory)");
				}
				parts.put(part, part.shared ? fallback.part(part) : EMPTY);
				continue;
			}
			catch (IOException ex) {
				throw new IllegalArgumentException(file + ": cannot be read: " + ex.getMessage(), ex);
			}
			parts.put(part, parse(bytes, part, file.toString()));
		}
		return new Theme(directory.toString(), parts);
	}

	private static Template parse(byte[] bytes, Part part, String source) {
		if (bytes.length > MAX_TEMPLATE_BYTES) {
			throw new IllegalArgumentException(source + ": larger than " + MAX_TEMPLATE_BYTES + " bytes");
		}
		String text;
		try {
			text = StrictUtf8.decode(bytes);
		}
		catch (CharacterCodingException ex) {
			throw new IllegalArgumentException(source + ": not valid UTF-8");
		}
		try {
			return Template.parse(text, part.placeholders);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(source + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * The template of one part.
	 * @param part the part
	 * @return its template
	 */
	public Template part(Part part) {
		return this.parts.get(part);
	}

	@Override
	public String toString() {
		return "theme " + this.source;
	}

	/**
	 * The parts of a listing page, in page order, with the placeholders each offers
	 * besides the {@link #PAGE page's}.
	 */
	public enum Part {

		/** The page up to the first row: document head, heading, table head. */
		HEADER("header.html", true, false),

		/** The row that links to the parent directory; left out at the root. */
		PARENT("parent.html", false, false, "href"),

		/** One row per entry. */
		ENTRY("entry.html", true, false, "name", "label", "href", "type", "size", "bytes", "modified", "modified-text",
				"modified-date", "modified-time"),

		/** After the last row: closes the table. */
		FOOTER("footer.html", true, false),

		/** The note shown when the listing was cut at {@code max-entries}. */
		TRUNCATED("truncated.html", false, true, "max-entries"),

		/** The directory's README, when READMEs are shown and it has one. */
		README("readme.html", false, true, "name", "content"),

		/** The end of the page. */
		END("end.html", false, false);

		private final String file;

		private final boolean required;

		private final boolean shared;

		private final Set<String> placeholders;

		Part(String file, boolean required, boolean shared, String... own) {
			this.file = file;
			this.required = required;
			this.shared = shared;
			Set<String> names = new HashSet<>(PAGE);
			names.addAll(Set.of(own));
			this.placeholders = Set.copyOf(names);
		}

		/**
		 * The part's file name in a theme directory.
		 * @return the file name
		 */
		public String file() {
			return this.file;
		}

		/**
		 * The placeholders the part offers.
		 * @return the names
		 */
		public Set<String> placeholders() {
			return this.placeholders;
		}

	}

}
