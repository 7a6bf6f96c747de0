package dev.capuchin.plugin.proxy.internal.cache;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * The file of one disk entry, version 1:
 *
 * <pre>
 * "CPCE"  version (1 byte)  CRC32C (4)  header length (4)   -- the preamble
 * header: key, variant, Vary, status, freshness, validators, stored headers, body length
 * body
 * </pre>
 *
 * The checksum covers the header and the body. It is checked when the index is rebuilt at
 * start, which reads every file once, off the event loop; a hit checks only the file's
 * length (one {@code fstat(2)}), because reading the body to check it would cost what
 * {@code sendfile(2)} saves. Entries are written once, to a temporary file renamed into
 * place, and never rewritten: damage comes from outside the process (a crash before the
 * data reached the disk, a failing disk, a hand), which the next start catches, while a
 * file cut short at run time fails the length check.
 */
final class EntryFiles {

	private static final byte[] MAGIC = { 'C', 'P', 'C', 'E' };

	/** The format's version; a file of another version is refused as corrupt. */
	static final int VERSION = 1;

	/** Magic, version, checksum and header length. */
	static final int PREAMBLE = 4 + 1 + 4 + 4;

	/**
	 * The largest header read back: far above what a response's headers may take (the
	 * proxy's header limits), so that a damaged length cannot make the scan allocate
	 * without bound.
	 */
	static final int MAX_HEADER = 1024 * 1024;

	/** What the files of entries are called; others in the directory are left alone. */
	static final String SUFFIX = ".entry";

	/** A write under way; left over by a crash, removed by the next scan. */
	static final String TEMPORARY = ".tmp";

	private static final int CHUNK = 64 * 1024;

	private EntryFiles() {
	}

	/**
	 * Write an entry to {@code target}, atomically: a temporary file beside it, renamed.
	 * @param target the entry's file
	 * @param entry the entry, in memory
	 * @return the file as the index keeps it
	 * @throws IOException when it cannot be written (the temporary file is removed)
	 */
	static CacheEntry.DiskFile write(Path target, CacheEntry entry) throws IOException {
		ByteBuf body = entry.body;
		byte[] header = header(entry, body.readableBytes());
		CRC32C crc = new CRC32C();
		crc.update(header);
		crc.update(body.nioBuffer());
		ByteBuffer preamble = ByteBuffer.allocate(PREAMBLE);
		preamble.put(MAGIC).put((byte) VERSION).putInt((int) crc.getValue()).putInt(header.length).flip();
		Files.createDirectories(target.getParent());
		Path temporary = target.resolveSibling(target.getFileName() + TEMPORARY);
		try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW,
				StandardOpenOption.WRITE)) {
			ByteBuffer[] parts = { preamble, ByteBuffer.wrap(header), body.nioBuffer() };
			long total = PREAMBLE + header.length + (long) body.readableBytes();
			long written = 0;
			while (written < total) {
				written += channel.write(parts);
			}
		}
		catch (IOException ex) {
			Files.deleteIfExists(temporary);
			throw ex;
		}
		Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
		long size = PREAMBLE + header.length + (long) body.readableBytes();
		return new CacheEntry.DiskFile(target, PREAMBLE + header.length, body.readableBytes(), size,
				Files.getLastModifiedTime(target).toMillis());
	}

	private static byte[] header(CacheEntry entry, long bodyLength) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
		DataOutputStream out = new DataOutputStream(bytes);
		CacheEntry.Meta meta = entry.meta;
		string(out, entry.url);
		string(out, entry.variant);
		out.writeInt(entry.vary.size());
		for (String name : entry.vary) {
			string(out, name);
		}
		out.writeInt(entry.status);
		out.writeLong(meta.responseTime());
		out.writeLong(meta.initialAge());
		out.writeLong(meta.lifetime());
		out.writeLong(meta.staleWhileRevalidate());
		out.writeLong(meta.staleIfError());
		out.writeBoolean(meta.mustRevalidate());
		out.writeBoolean(meta.noCache());
		out.writeBoolean(meta.etag() != null);
		string(out, (meta.etag() != null) ? meta.etag() : "");
		out.writeLong(meta.lastModified());
		List<Map.Entry<String, String>> headers = meta.headers().entries();
		out.writeInt(headers.size());
		for (Map.Entry<String, String> header : headers) {
			string(out, header.getKey());
			string(out, header.getValue());
		}
		out.writeLong(bodyLength);
		out.flush();
		return bytes.toByteArray();
	}

	private static void string(DataOutputStream out, String value) throws IOException {
		byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
		out.writeInt(bytes.length);
		out.write(bytes);
	}

	/**
	 * Read an entry's file back whole, checking its length and checksum.
	 * @param file the file
	 * @return the entry, on disk
	 * @throws CorruptEntryException when it is damaged, cut short or of another version
	 * @throws IOException when it cannot be read
	 */
	static CacheEntry read(Path file, long modified) throws IOException {
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
			long size = channel.size();
			if (size < PREAMBLE) {
				throw new CorruptEntryException("shorter than its preamble (" + size + " bytes)");
			}
			ByteBuffer preamble = ByteBuffer.allocate(PREAMBLE);
			readFully(channel, preamble, 0);
			preamble.flip();
			for (byte expected : MAGIC) {
				if (preamble.get() != expected) {
					throw new CorruptEntryException("not an entry file");
				}
			}
			int version = preamble.get();
			if (version != VERSION) {
				throw new CorruptEntryException("version " + version + " (expected: " + VERSION + ")");
			}
			int checksum = preamble.getInt();
			int headerLength = preamble.getInt();
			if (headerLength < 0 || headerLength > MAX_HEADER || PREAMBLE + (long) headerLength > size) {
				throw new CorruptEntryException("header length " + headerLength + " in " + size + " bytes");
			}
			ByteBuffer header = ByteBuffer.allocate(headerLength);
			readFully(channel, header, PREAMBLE);
			header.flip();
			CRC32C crc = new CRC32C();
			crc.update(header.duplicate());
			CacheEntry parsed = parse(header, file, size, headerLength, modified);
			ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
			long position = PREAMBLE + (long) headerLength;
			while (position < size) {
				chunk.clear().limit((int) Math.min(CHUNK, size - position));
				readFully(channel, chunk, position);
				chunk.flip();
				position += chunk.remaining();
				crc.update(chunk);
			}
			if ((int) crc.getValue() != checksum) {
				throw new CorruptEntryException("checksum mismatch");
			}
			return parsed;
		}
	}

	private static CacheEntry parse(ByteBuffer in, Path file, long size, int headerLength, long modified)
			throws CorruptEntryException {
		try {
			String url = string(in);
			String variant = string(in);
			int varyCount = count(in);
			List<String> vary = new ArrayList<>(varyCount);
			for (int i = 0; i < varyCount; i++) {
				vary.add(string(in));
			}
			int status = in.getInt();
			long responseTime = in.getLong();
			long initialAge = in.getLong();
			long lifetime = in.getLong();
			long staleWhileRevalidate = in.getLong();
			long staleIfError = in.getLong();
			boolean mustRevalidate = in.get() != 0;
			boolean noCache = in.get() != 0;
			boolean hasTag = in.get() != 0;
			String etag = string(in);
			long lastModified = in.getLong();
			int headerCount = count(in);
			HttpHeaders headers = new DefaultHttpHeaders();
			for (int i = 0; i < headerCount; i++) {
				headers.add(string(in), string(in));
			}
			long bodyLength = in.getLong();
			long bodyOffset = PREAMBLE + (long) headerLength;
			if (in.hasRemaining() || bodyLength < 0 || bodyOffset + bodyLength != size) {
				throw new CorruptEntryException(
						"body of " + (size - bodyOffset) + " bytes (expected: " + bodyLength + ")");
			}
			CacheEntry.Meta meta = new CacheEntry.Meta(headers, responseTime, initialAge, lifetime,
					staleWhileRevalidate, staleIfError, mustRevalidate, noCache, hasTag ? etag : null, lastModified);
			return new CacheEntry(url, variant, List.copyOf(vary), status,
					new CacheEntry.DiskFile(file, bodyOffset, bodyLength, size, modified), meta);
		}
		catch (RuntimeException ex) {
			// a length that runs past the header, a name netty refuses
			throw new CorruptEntryException("unreadable header: " + ex);
		}
	}

	private static int count(ByteBuffer in) {
		int count = in.getInt();
		if (count < 0 || count > in.remaining()) {
			throw new IllegalArgumentException("count " + count);
		}
		return count;
	}

	private static String string(ByteBuffer in) {
		int length = count(in);
		byte[] bytes = new byte[length];
		in.get(bytes);
		return new String(bytes, StandardCharsets.UTF_8);
	}

	private static void readFully(FileChannel channel, ByteBuffer target, long position) throws IOException {
		long at = position;
		while (target.hasRemaining()) {
			int n = channel.read(target, at);
			if (n < 0) {
				throw new CorruptEntryException("cut short at " + at + " bytes");
			}
			at += n;
		}
	}

	/** A file that is not a whole entry of this version. */
	static final class CorruptEntryException extends IOException {

		CorruptEntryException(String message) {
			super(message);
		}

	}

}
