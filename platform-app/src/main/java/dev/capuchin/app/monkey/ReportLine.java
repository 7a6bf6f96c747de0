package dev.capuchin.app.monkey;

/**
 * One line of an import's report: a key of Monkey's configuration and what became of it,
 * or a note on the import as a whole.
 *
 * @param file the file, relative to the configuration directory, or {@code null} for a
 * note on the import as a whole
 * @param line the line, or 0 for the whole file
 * @param section the section as {@code [NAME]}, or {@code null}
 * @param key the key as written, or {@code null} for a whole section or file
 * @param mapped whether it was imported
 * @param detail what it became, or why it was not imported
 */
public record ReportLine(String file, int line, String section, String key, boolean mapped, String detail) {

	static ReportLine mapped(MonkeyConfigFile file, MonkeyConfigFile.Section section, MonkeyConfigFile.Entry entry,
			String target) {
		return new ReportLine(file.name(), entry.line(), section.label(), entry.key(), true, target);
	}

	static ReportLine notMapped(MonkeyConfigFile file, MonkeyConfigFile.Section section, MonkeyConfigFile.Entry entry,
			String reason) {
		return new ReportLine(file.name(), entry.line(), section.label(), entry.key(), false, reason);
	}

	static ReportLine note(String detail) {
		return new ReportLine(null, 0, null, null, true, detail);
	}

	/**
	 * The line as the report prints it: {@code monkey.conf:37 [SERVER] User: not mapped
	 * (run Capuchin as the user you want)}.
	 * @return the text
	 */
	public String text() {
		StringBuilder text = new StringBuilder();
		if (this.file != null) {
			text.append(this.file);
			if (this.line > 0) {
				text.append(':').append(this.line);
			}
			if (this.section != null) {
				text.append(' ').append(this.section);
			}
			if (this.key != null) {
				text.append(' ').append(this.key);
			}
			text.append(": ");
		}
		if (this.file == null) {
			text.append(this.detail);
		}
		else if (this.mapped) {
			text.append("mapped to ").append(this.detail);
		}
		else {
			text.append("not mapped (").append(this.detail).append(')');
		}
		return text.toString();
	}

	@Override
	public String toString() {
		return text();
	}

}
