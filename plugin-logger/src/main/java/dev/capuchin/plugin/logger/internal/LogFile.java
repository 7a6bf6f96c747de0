package dev.capuchin.plugin.logger.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log file (or standard output) and its bounded buffer. Event loops
 * {@link #offer(byte[], int) offer} whole lines, copied into the buffer under a short
 * lock, and never wait: when the buffer holds {@code maxLines} lines (or {@code maxBytes}
 * bytes) the line is dropped and counted. The one writer thread swaps the buffer for its
 * spare and writes it outside the lock, rotating between lines.
 * <p>
 * Rotation by size moves {@code access.log} to {@code access.log.1} after shifting
 * {@code .1} to {@code .2} and so on; daily rotation moves it to
 * {@code access.log.2026-11-27} (the day of its lines; {@code .1}, {@code .2}… appended
 * when that name is taken). Retention keeps the newest {@code maxFiles} rotated files (0
 * keeps all).
 */
public final class LogFile {

	/** The name of standard output as a log target. */
	public static final String STDOUT = "stdout";

	private static final Logger logger = LoggerFactory.getLogger(LogFile.class);

	private static final Pattern DATED = Pattern.compile("(\\d{4}-\\d{2}-\\d{2})(?:\\.(\\d+))?");

	private static final Pattern NUMBERED = Pattern.compile("\\d+");

	private final String name;

	private final Path path;

	private final Rotation rotation;

	private final Clock clock;

	private final ZoneId zone;

	private final int maxLines;

	private final int maxBytes;

	private final int wakeAt;

	// producer side, guarded by this

	private byte[] pending = new byte[0];

	private int pendingBytes;

	private int pendingLines;

	private long dropped;

	// writer side: only the writer thread (or stop() once it has ended)

	private byte[] spare = new byte[0];

	private int chunkBytes;

	private int chunkLines;

	private WritableByteChannel channel;

	private long size;

	private LocalDate day;

	private boolean failing;

	private boolean failureWarned;

	private long warnedAt;

	private volatile long linesWritten;

	private volatile long bytesWritten;

	private volatile long rotations;

	/**
	 * Create a log file; nothing is opened until the writer first writes.
	 * @param name {@value #STDOUT} or the absolute path
	 * @param rotation when to rotate and how many rotated files to keep
	 * @param maxLines the most lines the buffer holds
	 * @param clock the clock that tells the day
	 */
	public LogFile(String name, Rotation rotation, int maxLines, Clock clock) {
		this.name = name;
		this.path = STDOUT.equals(name) ? null : Path.of(name);
		this.rotation = rotation;
		this.clock = clock;
		this.zone = clock.getZone();
		this.maxLines = maxLines;
		// long lines cannot grow a buffer past 1 KiB per line on average (1 MiB at least)
		this.maxBytes = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(1L << 20, 1024L * maxLines));
		this.wakeAt = Math.max(1, maxLines / 2);
	}

	/**
	 * Check that a path can be opened for appending, creating its directories.
	 * @param path the file
	 * @throws IOException when it cannot
	 */
	public static void checkWritable(Path path) throws IOException {
		if (path.getParent() != null) {
			Files.createDirectories(path.getParent());
		}
		if (Files.isDirectory(path)) {
			throw new IOException("is a directory");
		}
		try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
				StandardOpenOption.APPEND)) {
			// opened and closed: the writer opens it for real
		}
	}

	public String name() {
		return this.name;
	}

	/**
	 * Buffer one line; never blocks beyond a copy under the buffer's lock.
	 * @param line the line's bytes, ending with a newline
	 * @param length the line's length
	 * @return {@code true} when the buffer just became half full and the writer should
	 * wake up
	 */
	public boolean offer(byte[] line, int length) {
		synchronized (this) {
			int bytes = this.pendingBytes;
			if (this.pendingLines >= this.maxLines || bytes + length > this.maxBytes) {
				this.dropped++;
				return false;
			}
			if (bytes + length > this.pending.length) {
				int grown = (int) Math.min(this.maxBytes, Math.max(bytes + length, this.pending.length * 2L));
				byte[] larger = new byte[Math.max(grown, 4096)];
				System.arraycopy(this.pending, 0, larger, 0, bytes);
				this.pending = larger;
			}
			System.arraycopy(line, 0, this.pending, bytes, length);
			this.pendingBytes = bytes + length;
			return ++this.pendingLines == this.wakeAt;
		}
	}

	/**
	 * Lines dropped because the buffer was full or the file could not be written.
	 * @return the count
	 */
	public synchronized long dropped() {
		return this.dropped;
	}

	/**
	 * Lines waiting in the buffer.
	 * @return the count
	 */
	public synchronized int pending() {
		return this.pendingLines;
	}

	private synchronized void addDropped(long lines) {
		this.dropped += lines;
	}

	private boolean swap() {
		synchronized (this) {
			this.chunkBytes = this.pendingBytes;
			this.chunkLines = this.pendingLines;
			if (this.chunkLines == 0) {
				return false;
			}
			byte[] full = this.pending;
			this.pending = this.spare;
			this.spare = full;
			this.pendingBytes = 0;
			this.pendingLines = 0;
			return true;
		}
	}

	/**
	 * Writer thread: rotate when the day has changed, then write what is buffered.
	 */
	void drain() {
		boolean any = swap();
		try {
			// open before anything is written, so that lines buffered before an external
			// move still go to the moved file
			open();
			if (this.rotation.daily() && this.path != null && this.channel != null && !today().equals(this.day)) {
				rotate();
			}
			if (any) {
				write(this.spare, this.chunkBytes);
				this.linesWritten += this.chunkLines;
				this.bytesWritten += this.chunkBytes;
			}
			if (this.failing) {
				this.failing = false;
				if (this.failureWarned) {
					logger.info("log {} is writable again", this.name);
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			if (any) {
				addDropped(this.chunkLines);
			}
			if (!this.failing) {
				this.failing = true;
				// a nearly full disk lets a small write through now and then: one warning
				// (and one "writable again") per minute at most, not one per flap
				long now = System.nanoTime();
				this.failureWarned = this.warnedAt == 0 || now - this.warnedAt >= LogWriter.REPORT_INTERVAL.toNanos();
				if (this.failureWarned) {
					this.warnedAt = now;
					logger.warn("cannot write log {}: {}; its lines are dropped until it is writable again", this.name,
							ex.toString());
				}
			}
			closeChannel();
		}
	}

	/**
	 * Writer thread: close and open the file again (after an external rotation moved it).
	 */
	void reopen() {
		closeChannel();
		try {
			open();
		}
		catch (IOException ex) {
			logger.warn("cannot reopen log {}: {}", this.name, ex.toString());
		}
	}

	/**
	 * Writer thread (or after it ended): close the file.
	 */
	void close() {
		closeChannel();
	}

	private void write(byte[] data, int length) throws IOException {
		open();
		long maxSize = this.rotation.maxSize();
		if (maxSize <= 0 || this.path == null || this.size + length <= maxSize) {
			writeFully(data, 0, length);
			return;
		}
		int start = 0;
		while (start < length) {
			long room = maxSize - this.size;
			int end = start;
			int next = start;
			while (next < length) {
				int lineEnd = lineEnd(data, next, length);
				if (lineEnd - start > room) {
					break;
				}
				end = lineEnd;
				next = lineEnd;
			}
			if (end == start) {
				if (this.size > 0) {
					rotate();
					continue;
				}
				// a line longer than max-size goes into a file of its own
				end = lineEnd(data, start, length);
			}
			writeFully(data, start, end - start);
			start = end;
			if (start < length) {
				rotate();
			}
		}
	}

	private static int lineEnd(byte[] data, int from, int length) {
		for (int i = from; i < length; i++) {
			if (data[i] == '\n') {
				return i + 1;
			}
		}
		return length;
	}

	private void writeFully(byte[] data, int offset, int length) throws IOException {
		ByteBuffer buffer = ByteBuffer.wrap(data, offset, length);
		try {
			while (buffer.hasRemaining()) {
				this.channel.write(buffer);
			}
		}
		catch (IOException ex) {
			cutPartialWrite(buffer.position() - offset);
			throw ex;
		}
		this.size += length;
	}

	/**
	 * A full disk takes part of a write: cut the file back to the last whole line, so
	 * that the lines written once space returns do not continue a torn one.
	 */
	private void cutPartialWrite(int written) {
		if (written > 0 && this.channel instanceof FileChannel file) {
			try {
				file.truncate(this.size);
			}
			catch (IOException ex) {
				logger.warn("cannot cut log {} back to its last whole line: {}", this.name, ex.toString());
			}
		}
	}

	private void open() throws IOException {
		if (this.channel != null) {
			return;
		}
		if (this.path == null) {
			// through System.out, so that a redirected System.out (and its lock) is
			// respected
			this.channel = Channels.newChannel(System.out);
			return;
		}
		FileChannel file = FileChannel.open(this.path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
				StandardOpenOption.APPEND);
		try {
			this.size = file.size();
			this.day = (this.size > 0)
					? LocalDate.ofInstant(Files.getLastModifiedTime(this.path).toInstant(), this.zone) : today();
		}
		catch (IOException ex) {
			file.close();
			throw ex;
		}
		this.channel = file;
	}

	private void closeChannel() {
		WritableByteChannel open = this.channel;
		this.channel = null;
		if (open != null && this.path != null) {
			try {
				open.close();
			}
			catch (IOException ex) {
				logger.warn("closing log {}: {}", this.name, ex.toString());
			}
		}
	}

	private void rotate() throws IOException {
		closeChannel();
		if (Files.exists(this.path)) {
			if (this.rotation.daily()) {
				rotateDated();
			}
			else {
				rotateNumbered();
			}
			this.rotations++;
		}
		open();
	}

	private void rotateNumbered() throws IOException {
		Path dir = directory();
		String base = this.path.getFileName().toString();
		List<Integer> numbers = new ArrayList<>();
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, (entry) -> isRotated(entry, base))) {
			for (Path entry : entries) {
				String suffix = entry.getFileName().toString().substring(base.length() + 1);
				if (NUMBERED.matcher(suffix).matches() && suffix.length() < 9) {
					numbers.add(Integer.parseInt(suffix));
				}
			}
		}
		numbers.sort(Comparator.reverseOrder());
		int keep = this.rotation.maxFiles();
		for (int n : numbers) {
			Path rotated = dir.resolve(base + "." + n);
			if (keep > 0 && n >= keep) {
				Files.deleteIfExists(rotated);
			}
			else {
				Files.move(rotated, dir.resolve(base + "." + (n + 1)));
			}
		}
		Files.move(this.path, dir.resolve(base + ".1"));
	}

	private void rotateDated() throws IOException {
		Path dir = directory();
		String base = this.path.getFileName().toString();
		String dated = base + "." + this.day;
		Path target = dir.resolve(dated);
		for (int i = 1; Files.exists(target); i++) {
			target = dir.resolve(dated + "." + i);
		}
		Files.move(this.path, target);
		int keep = this.rotation.maxFiles();
		if (keep <= 0) {
			return;
		}
		List<Rotated> rotated = new ArrayList<>();
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, (entry) -> isRotated(entry, base))) {
			for (Path entry : entries) {
				Matcher matcher = DATED.matcher(entry.getFileName().toString().substring(base.length() + 1));
				if (matcher.matches()) {
					int index = (matcher.group(2) != null) ? Integer.parseInt(matcher.group(2)) : 0;
					rotated.add(new Rotated(entry, matcher.group(1), index));
				}
			}
		}
		rotated.sort(Comparator.comparing(Rotated::date).thenComparingInt(Rotated::index));
		for (int i = 0; i < rotated.size() - keep; i++) {
			Files.deleteIfExists(rotated.get(i).file());
		}
	}

	private static boolean isRotated(Path entry, String base) {
		String file = entry.getFileName().toString();
		return file.length() > base.length() + 1 && file.startsWith(base) && file.charAt(base.length()) == '.';
	}

	private Path directory() {
		Path parent = this.path.toAbsolutePath().getParent();
		return (parent != null) ? parent : Path.of("/");
	}

	private LocalDate today() {
		return LocalDate.ofInstant(this.clock.instant(), this.zone);
	}

	/**
	 * The file's counters.
	 * @return a snapshot
	 */
	public Status status() {
		return new Status(this.name, this.linesWritten, this.bytesWritten, dropped(), pending(), this.rotations);
	}

	@Override
	public String toString() {
		return this.name;
	}

	/**
	 * When a file rotates and how many rotated files are kept.
	 *
	 * @param maxSize rotate before a write would take the file past this many bytes; 0
	 * for never
	 * @param daily whether the file rotates at midnight
	 * @param maxFiles rotated files kept; 0 keeps all
	 */
	public record Rotation(long maxSize, boolean daily, int maxFiles) {

	}

	/**
	 * A snapshot of a file's counters.
	 *
	 * @param name the path, or {@code stdout}
	 * @param lines lines written
	 * @param bytes bytes written
	 * @param dropped lines dropped (buffer full or write failed)
	 * @param pending lines waiting in the buffer
	 * @param rotations rotations since start
	 */
	public record Status(String name, long lines, long bytes, long dropped, int pending, long rotations) {

	}

	private record Rotated(Path file, String date, int index) {

	}

}
