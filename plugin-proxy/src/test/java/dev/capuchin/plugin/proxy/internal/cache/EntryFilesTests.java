package dev.capuchin.plugin.proxy.internal.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The disk entries' file format: what is written is read back whole, and a file damaged,
 * cut short or of another version is refused.
 */
class EntryFilesTests {

	@TempDir
	Path temp;

	private Path written() throws IOException {
		HttpHeaders headers = new DefaultHttpHeaders().add("Content-Type", "text/plain")
			.add("X-Two", "a")
			.add("X-Two", "b");
		CacheEntry.Meta meta = new CacheEntry.Meta(headers, 1000, 2000, 60_000, 5_000, 7_000, true, false, "\"t1\"",
				123_000);
		CacheEntry entry = new CacheEntry("shop http://example.com/a?b=1", "accept-language=fr\n",
				List.of("accept-language"), 200, Unpooled.wrappedBuffer("hello, disk".getBytes(StandardCharsets.UTF_8)),
				meta);
		Path file = this.temp.resolve("ab").resolve("entry" + EntryFiles.SUFFIX);
		EntryFiles.write(file, entry);
		return file;
	}

	@Test
	void entryIsReadBackAsWritten() throws IOException {
		Path file = written();
		CacheEntry read = EntryFiles.read(file, 42);
		assertThat(read.url).isEqualTo("shop http://example.com/a?b=1");
		assertThat(read.variant).isEqualTo("accept-language=fr\n");
		assertThat(read.vary).containsExactly("accept-language");
		assertThat(read.status).isEqualTo(200);
		assertThat(read.tier).isEqualTo(CacheEntry.Tier.DISK);
		CacheEntry.Meta meta = read.meta;
		assertThat(meta.headers().getAll("X-Two")).containsExactly("a", "b");
		assertThat(meta.responseTime()).isEqualTo(1000);
		assertThat(meta.initialAge()).isEqualTo(2000);
		assertThat(meta.lifetime()).isEqualTo(60_000);
		assertThat(meta.staleWhileRevalidate()).isEqualTo(5_000);
		assertThat(meta.staleIfError()).isEqualTo(7_000);
		assertThat(meta.mustRevalidate()).isTrue();
		assertThat(meta.noCache()).isFalse();
		assertThat(meta.etag()).isEqualTo("\"t1\"");
		assertThat(meta.lastModified()).isEqualTo(123_000);
		CacheEntry.DiskFile disk = read.file;
		assertThat(disk.size()).isEqualTo(Files.size(file));
		assertThat(disk.modified()).isEqualTo(42);
		byte[] body = new byte[(int) disk.bodyLength()];
		try (FileChannel channel = FileChannel.open(file)) {
			channel.read(ByteBuffer.wrap(body), disk.bodyOffset());
		}
		assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo("hello, disk");
		assertThat(file.resolveSibling(file.getFileName() + EntryFiles.TEMPORARY)).doesNotExist();
	}

	@Test
	void flippedByteIsRefused() throws IOException {
		Path file = written();
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
			channel.write(ByteBuffer.wrap(new byte[] { 'H' }), channel.size() - 11);
		}
		assertThatExceptionOfType(EntryFiles.CorruptEntryException.class).isThrownBy(() -> EntryFiles.read(file, 0))
			.withMessageContaining("checksum");
	}

	@Test
	void fileCutShortIsRefused() throws IOException {
		Path file = written();
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
			channel.truncate(channel.size() - 1);
		}
		assertThatExceptionOfType(EntryFiles.CorruptEntryException.class).isThrownBy(() -> EntryFiles.read(file, 0))
			.withMessageContaining("expected: 11");
	}

	@Test
	void otherVersionIsRefused() throws IOException {
		Path file = written();
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
			channel.write(ByteBuffer.wrap(new byte[] { 9 }), 4);
		}
		assertThatExceptionOfType(EntryFiles.CorruptEntryException.class).isThrownBy(() -> EntryFiles.read(file, 0))
			.withMessageContaining("version 9");
	}

}
