package dev.capuchin.app.logs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * The end of a log file: at most {@link #MAX_BYTES} read backwards from its end, never
 * the whole file, so a large or growing log costs the same as a small one. Bytes that are
 * not UTF-8 are shown as U+FFFD; a line longer than {@link #MAX_LINE_LENGTH} characters
 * is cut.
 */
public final class LogTail {

	/** The most bytes read from the end of a file. */
	public static final int MAX_BYTES = 64 * 1024;

	/** The most lines returned. */
	public static final int MAX_LINES = 500;

	/** The longest line shown; longer lines are cut and marked. */
	public static final int MAX_LINE_LENGTH = 2000;

	private LogTail() {
	}

	/**
	 * Read the last lines of a file.
	 * @param file the file
	 * @param lines the most lines wanted, 1 to {@link #MAX_LINES}
	 * @param filter keep only lines containing this text (ignoring case); {@code null} or
	 * blank for every line
	 * @return the lines, oldest first, or {@link Tail#missing()} when there is no file
	 * @throws IOException when the file cannot be read
	 */
	public static Tail read(Path file, int lines, String filter) throws IOException {
		if (lines < 1 || lines > MAX_LINES) {
			throw new IllegalArgumentException("lines: " + lines + " (expected: 1.." + MAX_LINES + ")");
		}
		if (!Files.isRegularFile(file)) {
			return Tail.missing();
		}
		ByteBuffer bytes;
		long size;
		long start;
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
			size = channel.size();
			start = Math.max(0, size - MAX_BYTES);
			bytes = ByteBuffer.allocate((int) (size - start));
			while (bytes.hasRemaining()) {
				if (channel.read(bytes, start + bytes.position()) < 0) {
					break;
				}
			}
		}
		catch (NoSuchFileException ex) {
			return Tail.missing();
		}
		bytes.flip();
		if (start > 0) {
			// the window starts inside a line: drop that part
			while (bytes.hasRemaining() && bytes.get() != '\n') {
				// skip
			}
		}
		String text = decode(bytes);
		String needle = (filter != null && !filter.isBlank()) ? filter.toLowerCase(Locale.ROOT) : null;
		Deque<String> kept = new ArrayDeque<>();
		for (String line : text.split("\r?\n", -1)) {
			if (line.isEmpty()) {
				continue;
			}
			if (needle != null && !line.toLowerCase(Locale.ROOT).contains(needle)) {
				continue;
			}
			kept.addLast((line.length() > MAX_LINE_LENGTH)
					? line.substring(0, MAX_LINE_LENGTH) + " … (" + (line.length() - MAX_LINE_LENGTH) + " more)"
					: line);
			if (kept.size() > lines) {
				kept.removeFirst();
			}
		}
		return new Tail(true, new ArrayList<>(kept), size, start > 0);
	}

	private static String decode(ByteBuffer bytes) {
		try {
			CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPLACE)
				.onUnmappableCharacter(CodingErrorAction.REPLACE)
				.decode(bytes);
			return chars.toString();
		}
		catch (CharacterCodingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The end of a file.
	 *
	 * @param exists whether the file exists
	 * @param lines the lines, oldest first
	 * @param size the file's size in bytes
	 * @param partial whether only the end of the file was read
	 */
	public record Tail(boolean exists, List<String> lines, long size, boolean partial) {

		public Tail {
			lines = List.copyOf(lines);
		}

		/**
		 * No file.
		 * @return an empty tail
		 */
		public static Tail missing() {
			return new Tail(false, List.of(), 0, false);
		}

	}

}
