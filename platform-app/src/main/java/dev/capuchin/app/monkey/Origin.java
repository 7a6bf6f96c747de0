package dev.capuchin.app.monkey;

/**
 * Where a value of an imported site came from, so that a refusal of the imported
 * configuration can name Monkey's file and line.
 *
 * @param file the file, relative to the configuration directory
 * @param line the line
 * @param section the section as {@code [NAME]}
 * @param key the key, or {@code null} for a whole section
 */
record Origin(String file, int line, String section, String key) {

	static Origin of(MonkeyConfigFile file, MonkeyConfigFile.Section section, MonkeyConfigFile.Entry entry) {
		return new Origin(file.name(), entry.line(), section.label(), entry.key());
	}

	static Origin of(MonkeyConfigFile file, MonkeyConfigFile.Section section) {
		return new Origin(file.name(), section.line(), section.label(), null);
	}

	String text() {
		return this.file + ":" + this.line + " " + this.section + ((this.key != null) ? " " + this.key : "");
	}

}
