package dev.capuchin.app.monkey;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.capuchin.app.shared.config.InvalidConfigurationException;
import dev.capuchin.core.spi.StrictUtf8;

/**
 * Reads Monkey's configuration format, as Monkey's own reader ({@code mk_rconf}) does:
 * <ul>
 * <li>{@code [NAME]} starts a section; names and keys compare regardless of case;</li>
 * <li>entries are indented {@code Key value} lines, the value being the rest of the line,
 * trimmed; a key may repeat;</li>
 * <li>every entry of a file has the indentation of its first entry;</li>
 * <li>blank lines and lines whose first non-blank character is {@code #} are
 * comments.</li>
 * </ul>
 * A line outside a section, a key without a value, a broken header or an indentation that
 * differs is refused with the file's name and the line number; so is a file beyond the
 * limits below, which stop a stray large or binary file from being read whole.
 */
public final class MonkeyConfigParser {

	/** The largest file read: 1 MiB (Monkey's own files are a few KiB). */
	public static final int MAX_FILE_SIZE = 1024 * 1024;

	/** The longest line read: 4096 characters (Monkey itself reads 254). */
	public static final int MAX_LINE_LENGTH = 4096;

	private MonkeyConfigParser() {
	}

	/**
	 * Read a file.
	 * @param file the file
	 * @param name its name relative to the configuration directory, for messages
	 * @return its sections
	 * @throws InvalidConfigurationException naming the file (and line) at fault
	 */
	public static MonkeyConfigFile read(Path file, String name) {
		if (!Files.isRegularFile(file)) {
			throw new InvalidConfigurationException(name + ": not a regular file");
		}
		byte[] bytes;
		try (InputStream in = Files.newInputStream(file)) {
			bytes = in.readNBytes(MAX_FILE_SIZE + 1);
		}
		catch (IOException ex) {
			throw new InvalidConfigurationException(name + ": cannot be read: " + ex.getMessage());
		}
		if (bytes.length > MAX_FILE_SIZE) {
			throw new InvalidConfigurationException(
					name + ": larger than " + MAX_FILE_SIZE + " bytes (expected: a Monkey configuration file)");
		}
		String text;
		try {
			text = StrictUtf8.decode(bytes);
		}
		catch (CharacterCodingException ex) {
			throw new InvalidConfigurationException(name + ": not UTF-8 text");
		}
		return parse(text, name);
	}

	/**
	 * Parse the text of a file.
	 * @param text the text
	 * @param name the file's name, for messages
	 * @return its sections
	 * @throws InvalidConfigurationException naming the file and line at fault
	 */
	public static MonkeyConfigFile parse(String text, String name) {
		List<MonkeyConfigFile.Section> sections = new ArrayList<>();
		String sectionName = null;
		int sectionLine = 0;
		List<MonkeyConfigFile.Entry> entries = new ArrayList<>();
		String indent = null;
		int indentLine = 0;
		String[] lines = text.split("\n", -1);
		for (int i = 0; i < lines.length; i++) {
			int number = i + 1;
			String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
			if (line.length() > MAX_LINE_LENGTH) {
				throw refused(name, number, "longer than " + MAX_LINE_LENGTH + " characters");
			}
			for (int c = 0; c < line.length(); c++) {
				char ch = line.charAt(c);
				if (ch != '\t' && (ch < 0x20 || ch == 0x7f)) {
					throw refused(name, number, "a control character (expected: text)");
				}
			}
			String stripped = line.strip();
			if (stripped.isEmpty() || stripped.startsWith("#")) {
				continue;
			}
			if (line.charAt(0) == '[') {
				int end = line.indexOf(']');
				String header = (end > 0) ? line.substring(1, end).strip() : "";
				if (end < 0 || !header.matches("[A-Za-z0-9_.-]+") || !line.substring(end + 1).isBlank()) {
					throw refused(name, number, "'" + stripped + "' (expected: a section header such as [SERVER])");
				}
				if (sectionName != null) {
					sections.add(new MonkeyConfigFile.Section(sectionName, sectionLine, entries));
				}
				sectionName = header;
				sectionLine = number;
				entries = new ArrayList<>();
				continue;
			}
			if (!isBlank(line.charAt(0))) {
				throw refused(name, number,
						"'" + stripped + "' (expected: an indented 'Key value' line or a section header)");
			}
			if (sectionName == null) {
				throw refused(name, number, "'" + stripped + "' is outside a section (expected: a [SECTION] first)");
			}
			int width = 0;
			while (isBlank(line.charAt(width))) {
				width++;
			}
			if (indent == null) {
				indent = line.substring(0, width);
				indentLine = number;
			}
			else if (!line.substring(0, width).equals(indent)) {
				throw refused(name, number,
						"indentation differs from line " + indentLine + " (expected: every entry indented alike)");
			}
			int space = width;
			while (space < line.length() && !isBlank(line.charAt(space))) {
				space++;
			}
			String key = line.substring(width, space);
			String value = line.substring(space).strip();
			if (value.isEmpty()) {
				throw refused(name, number,
						sectionLabel(sectionName) + " " + key + ": no value (expected: 'Key value')");
			}
			entries.add(new MonkeyConfigFile.Entry(key, value, number));
		}
		if (sectionName != null) {
			sections.add(new MonkeyConfigFile.Section(sectionName, sectionLine, entries));
		}
		return new MonkeyConfigFile(name, sections);
	}

	private static boolean isBlank(char ch) {
		return ch == ' ' || ch == '\t';
	}

	private static String sectionLabel(String name) {
		return "[" + name.toUpperCase(Locale.ROOT) + "]";
	}

	static InvalidConfigurationException refused(String file, int line, String message) {
		return new InvalidConfigurationException(file + ":" + line + ": " + message);
	}

}
