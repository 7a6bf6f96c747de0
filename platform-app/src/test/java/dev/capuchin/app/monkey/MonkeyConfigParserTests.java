package dev.capuchin.app.monkey;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.capuchin.app.shared.config.InvalidConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;

class MonkeyConfigParserTests {

	@TempDir
	Path temp;

	@Test
	void sectionsAndEntriesKeepTheirLinesAndOrder() {
		MonkeyConfigFile file = MonkeyConfigParser.parse("""
				# Monkey
				[SERVER]
				    # Listen:
				    Listen 2001
				    Listen [::1]:2002 h2c

				    Indexfile index.html   index.htm
				[host]
				    ServerName a.test
				""", "monkey.conf");
		assertThat(file.sections()).extracting(MonkeyConfigFile.Section::name, MonkeyConfigFile.Section::line)
			.containsExactly(tuple("SERVER", 2), tuple("host", 8));
		assertThat(file.sections().get(0).entries()).containsExactly(new MonkeyConfigFile.Entry("Listen", "2001", 4),
				new MonkeyConfigFile.Entry("Listen", "[::1]:2002 h2c", 5),
				new MonkeyConfigFile.Entry("Indexfile", "index.html   index.htm", 7));
		assertThat(file.sections("HOST")).hasSize(1);
		assertThat(file.sections().get(1).entries().get(0).is("servername")).isTrue();
		assertThat(file.sections().get(1).label()).isEqualTo("[HOST]");
	}

	@Test
	void tabsIndentAndSeparateAndCarriageReturnsAreDropped() {
		MonkeyConfigFile file = MonkeyConfigParser.parse("[RULES]\r\n\tIP\t10.0.0.1\r\n\t# note\r\n", "mandril.conf");
		assertThat(file.sections().get(0).entries()).containsExactly(new MonkeyConfigFile.Entry("IP", "10.0.0.1", 2));
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			textBlock = """
					a key outside a section        | '    Listen 2001'                          | 1 | is outside a section
					an unindented line             | '[SERVER]\\nListen 2001'                  | 2 | expected: an indented 'Key value' line
					a key without value            | '[SERVER]\\n    Listen'                   | 2 | [SERVER] Listen: no value
					a header without its bracket   | '[SERVER\\n    Listen 2001'               | 1 | expected: a section header
					text after a header            | '[SERVER] x\\n    Listen 2001'            | 1 | expected: a section header
					an indentation that differs    | '[SERVER]\\n    Listen 1\\n  Workers 2'    | 3 | indentation differs from line 2
					a control character            | '[SERVER]\\n    User a\\u0001b'            | 2 | a control character
					""")
	void malformedLinesAreRefusedWithFileAndLine(String what, String text, int line, String message) {
		String unescaped = text.replace("\\n", "\n").replace("\\u0001", "\u0001");
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> MonkeyConfigParser.parse(unescaped, "monkey.conf"))
			.withMessageStartingWith("monkey.conf:" + line + ": ")
			.withMessageContaining(message);
	}

	@Test
	void aLineOverTheLimitIsRefused() {
		String text = "[SERVER]\n    User " + "a".repeat(MonkeyConfigParser.MAX_LINE_LENGTH) + "\n";
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> MonkeyConfigParser.parse(text, "monkey.conf"))
			.withMessage("monkey.conf:2: longer than 4096 characters");
	}

	@Test
	void aFileOverTheLimitIsRefusedUnread() throws Exception {
		Path file = Files.write(this.temp.resolve("monkey.conf"), new byte[MonkeyConfigParser.MAX_FILE_SIZE + 1]);
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> MonkeyConfigParser.read(file, "monkey.conf"))
			.withMessageStartingWith("monkey.conf: larger than 1048576 bytes");
	}

	@Test
	void aFileThatIsNotUtf8IsRefused() throws Exception {
		Path file = Files.write(this.temp.resolve("default"),
				new byte[] { '[', 'H', ']', '\n', ' ', 'a', ' ', (byte) 0xff });
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> MonkeyConfigParser.read(file, "sites/default"))
			.withMessage("sites/default: not UTF-8 text");
	}

}
