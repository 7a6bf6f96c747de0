package dev.capuchin.plugin.logger.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class LogFileTests {

	private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);

	@TempDir
	Path temp;

	@Test
	void offerWakesTheWriterOnceAtHalfAndDropsWhenFull() {
		LogFile file = new LogFile(this.temp.resolve("a.log").toString(), new LogFile.Rotation(0, false, 0), 4, CLOCK);
		assertThat(offer(file, "1\n")).isFalse();
		assertThat(offer(file, "2\n")).isTrue();
		assertThat(offer(file, "3\n")).isFalse();
		assertThat(offer(file, "4\n")).isFalse();
		assertThat(offer(file, "5\n")).isFalse();
		assertThat(file.pending()).isEqualTo(4);
		assertThat(file.dropped()).isEqualTo(1);
	}

	@Test
	void drainWritesTheBufferAndEmptiesIt() throws Exception {
		Path path = this.temp.resolve("a.log");
		LogFile file = new LogFile(path.toString(), new LogFile.Rotation(0, false, 0), 4, CLOCK);
		offer(file, "1\n");
		offer(file, "2\n");
		file.drain();
		offer(file, "3\n");
		file.drain();
		file.close();
		assertThat(Files.readString(path)).isEqualTo("1\n2\n3\n");
		assertThat(file.pending()).isZero();
		assertThat(file.status().lines()).isEqualTo(3);
		assertThat(file.status().bytes()).isEqualTo(6);
	}

	@Test
	void sizeRotationCutsBetweenLinesAndALongLineGetsAFileOfItsOwn() throws Exception {
		Path path = this.temp.resolve("a.log");
		LogFile file = new LogFile(path.toString(), new LogFile.Rotation(10, false, 0), 16, CLOCK);
		offer(file, "short\n");
		offer(file, "a line longer than ten\n");
		offer(file, "x\n");
		offer(file, "y\n");
		file.drain();
		file.close();
		assertThat(Files.readString(path.resolveSibling("a.log.2"))).isEqualTo("short\n");
		assertThat(Files.readString(path.resolveSibling("a.log.1"))).isEqualTo("a line longer than ten\n");
		assertThat(Files.readString(path)).isEqualTo("x\ny\n");
		assertThat(file.status().rotations()).isEqualTo(2);
	}

	@Test
	void maxFilesZeroKeepsEveryRotatedFile() throws Exception {
		Path path = this.temp.resolve("a.log");
		for (int i = 1; i <= 3; i++) {
			Files.writeString(path.resolveSibling("a.log." + i), "old " + i + "\n");
		}
		Files.writeString(path, "current\n");
		LogFile file = new LogFile(path.toString(), new LogFile.Rotation(10, false, 0), 16, CLOCK);
		offer(file, "next line\n");
		file.drain();
		file.close();
		assertThat(Files.readString(path.resolveSibling("a.log.1"))).isEqualTo("current\n");
		assertThat(Files.readString(path.resolveSibling("a.log.4"))).isEqualTo("old 3\n");
		assertThat(Files.readString(path)).isEqualTo("next line\n");
	}

	@Test
	void aDatedNameThatIsTakenGetsAnIndex() throws Exception {
		Path path = this.temp.resolve("a.log");
		LogFile file = new LogFile(path.toString(), new LogFile.Rotation(4, true, 0), 16, CLOCK);
		offer(file, "one\n");
		offer(file, "two\n");
		offer(file, "three\n");
		file.drain();
		file.close();
		assertThat(Files.readString(path.resolveSibling("a.log.2026-11-27"))).isEqualTo("one\n");
		assertThat(Files.readString(path.resolveSibling("a.log.2026-11-27.1"))).isEqualTo("two\n");
		assertThat(Files.readString(path)).isEqualTo("three\n");
	}

	@Test
	void anUnwritableFileDropsAndCountsItsLinesUntilItIsWritableAgain() throws Exception {
		Path blocker = Files.writeString(this.temp.resolve("logs"), "a file where a directory should be");
		Path path = blocker.resolve("a.log");
		LogFile file = new LogFile(path.toString(), new LogFile.Rotation(0, false, 0), 16, CLOCK);
		offer(file, "lost\n");
		file.drain();
		assertThat(file.dropped()).isEqualTo(1);
		Files.delete(blocker);
		Files.createDirectory(blocker);
		offer(file, "kept\n");
		file.drain();
		file.close();
		assertThat(Files.readString(path)).isEqualTo("kept\n");
		assertThat(file.dropped()).isEqualTo(1);
	}

	private static boolean offer(LogFile file, String line) {
		byte[] bytes = line.getBytes(StandardCharsets.US_ASCII);
		return file.offer(bytes, bytes.length);
	}

}
