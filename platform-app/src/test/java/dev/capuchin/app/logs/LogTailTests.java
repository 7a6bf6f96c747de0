package dev.capuchin.app.logs;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class LogTailTests {

	@TempDir
	Path temp;

	@Test
	void theLastLinesAreReadOldestFirst() throws Exception {
		Path file = Files.writeString(this.temp.resolve("a.log"), "one\ntwo\nthree\n");
		LogTail.Tail tail = LogTail.read(file, 2, null);
		assertThat(tail.lines()).containsExactly("two", "three");
		assertThat(tail.partial()).isFalse();
		assertThat(tail.size()).isEqualTo(14);
	}

	@Test
	void onlyTheEndOfALargeFileIsReadFromALineBoundary() throws Exception {
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < 20_000; i++) {
			text.append("line ").append(i).append('\n');
		}
		Path file = Files.writeString(this.temp.resolve("big.log"), text);
		LogTail.Tail tail = LogTail.read(file, LogTail.MAX_LINES, null);
		assertThat(tail.partial()).isTrue();
		assertThat(tail.lines()).hasSize(LogTail.MAX_LINES).last().isEqualTo("line 19999");
		assertThat(LogTail.read(file, LogTail.MAX_LINES, "line 1000 ").lines()).isEmpty();
		assertThat(tail.lines()).allMatch((line) -> line.matches("line \\d+"));
	}

	@Test
	void aFilterKeepsLinesContainingItIgnoringCase() throws Exception {
		Path file = Files.writeString(this.temp.resolve("f.log"), "GET /a 200\nGET /b 404\nPOST /c 404\n");
		assertThat(LogTail.read(file, 10, "get /B").lines()).containsExactly("GET /b 404");
		assertThat(LogTail.read(file, 10, " ").lines()).hasSize(3);
	}

	@Test
	void bytesThatAreNotUtf8AreReplacedAndLongLinesCut() throws Exception {
		Path file = this.temp.resolve("bad.log");
		Files.write(file, new byte[] { 'a', (byte) 0xff, (byte) 0xc3, 'b', '\n' });
		assertThat(LogTail.read(file, 10, null).lines()).containsExactly("a\uFFFD\uFFFDb");
		Files.writeString(file, "x".repeat(LogTail.MAX_LINE_LENGTH + 5) + "\n");
		assertThat(LogTail.read(file, 10, null).lines().get(0)).hasSize(LogTail.MAX_LINE_LENGTH + 11)
			.endsWith("… (5 more)");
	}

	@Test
	void aMissingFileIsAnEmptyTailAndLineCountsAreBounded() throws Exception {
		assertThat(LogTail.read(this.temp.resolve("none.log"), 10, null).exists()).isFalse();
		assertThatIllegalArgumentException().isThrownBy(() -> LogTail.read(this.temp.resolve("x"), 501, null))
			.withMessage("lines: 501 (expected: 1..500)");
	}

}
