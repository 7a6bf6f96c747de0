package dev.capuchin.core.internal.fdt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.concurrent.ImmediateEventExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class OpenFileTableTests {

	@TempDir
	Path temp;

	@Test
	void concurrentReadersOfOneFileShareOneDescriptor() throws IOException {
		OpenFileTable table = table(true);
		Path file = file("a.txt", "alpha");
		OpenFile first = acquire(table, file);
		OpenFile second = acquire(table, file);
		assertThat(second).isSameAs(first);
		assertThat(table.openCount()).isEqualTo(1);
		assertThat(table.hits()).isEqualTo(1);
		assertThat(table.misses()).isEqualTo(1);
		first.release();
		second.release();
	}

	@Test
	void withoutRetentionTheDescriptorClosesWithItsLastReader() throws IOException {
		OpenFileTable table = table(false);
		OpenFile file = acquire(table, file("a.txt", "alpha"));
		OpenFile again = acquire(table, file.path());
		file.release();
		assertThat(file.channel().isOpen()).isTrue();
		again.release();
		assertThat(file.channel().isOpen()).isFalse();
		assertThat(table.openCount()).isZero();
	}

	@Test
	void aRetainedDescriptorServesTheNextReader() throws IOException {
		OpenFileTable table = table(true);
		Path path = file("a.txt", "alpha");
		OpenFile first = acquire(table, path);
		first.release();
		assertThat(first.channel().isOpen()).isTrue();
		OpenFile next = acquire(table, path);
		assertThat(next).isSameAs(first);
		assertThat(table.hits()).isEqualTo(1);
		next.release();
	}

	@Test
	void aFileChangedOnDiskGetsAFreshDescriptor() throws IOException {
		OpenFileTable table = table(true);
		Path path = file("a.txt", "alpha");
		OpenFile old = acquire(table, path);
		Files.writeString(path, "a longer alpha");
		OpenFile fresh = acquire(table, path);
		assertThat(fresh).isNotSameAs(old);
		assertThat(fresh.size()).isEqualTo(14);
		assertThat(old.channel().isOpen()).as("a reader still holds the old descriptor").isTrue();
		old.release();
		assertThat(old.channel().isOpen()).isFalse();
		fresh.release();
	}

	@Test
	void aFullBucketOpensPrivatelyAndClosesAfterTheReader() throws IOException {
		OpenFileTable table = new OpenFileTable(ImmediateEventExecutor.INSTANCE,
				new FdtSettings(1, 2, true, Duration.ofSeconds(10), FdtSettings.DEFAULT_VALID));
		OpenFile a = acquire(table, file("a", "a"));
		OpenFile b = acquire(table, file("b", "b"));
		OpenFile c = acquire(table, file("c", "c"));
		assertThat(a.isShared()).isTrue();
		assertThat(b.isShared()).isTrue();
		assertThat(c.isShared()).isFalse();
		c.release();
		assertThat(c.channel().isOpen()).isFalse();
		a.release();
		b.release();
	}

	@Test
	void anIdleRetainedEntryIsEvictedForANewFile() throws IOException {
		OpenFileTable table = new OpenFileTable(ImmediateEventExecutor.INSTANCE,
				new FdtSettings(1, 1, true, Duration.ofSeconds(10), FdtSettings.DEFAULT_VALID));
		OpenFile a = acquire(table, file("a", "a"));
		a.release();
		OpenFile b = acquire(table, file("b", "b"));
		assertThat(b.isShared()).isTrue();
		assertThat(a.channel().isOpen()).isFalse();
		assertThat(table.openCount()).isEqualTo(1);
		b.release();
	}

	@Test
	void idleEntriesCloseAfterTheIdleTimeout() throws IOException {
		AtomicLong now = new AtomicLong();
		OpenFileTable table = new OpenFileTable(ImmediateEventExecutor.INSTANCE,
				new FdtSettings(4, 4, true, Duration.ofSeconds(10), FdtSettings.DEFAULT_VALID), now::get);
		OpenFile a = acquire(table, file("a", "a"));
		a.release();
		now.addAndGet(Duration.ofSeconds(10).toNanos());
		table.closeIdle();
		assertThat(a.channel().isOpen()).as("idle for exactly the timeout").isTrue();
		now.incrementAndGet();
		table.closeIdle();
		assertThat(a.channel().isOpen()).isFalse();
		assertThat(table.openCount()).isZero();
	}

	@Test
	void closeAllLeavesDescriptorsInUseToTheirReaders() throws IOException {
		OpenFileTable table = table(true);
		OpenFile held = acquire(table, file("a", "a"));
		OpenFile idle = acquire(table, file("b", "b"));
		idle.release();
		table.closeAll();
		assertThat(idle.channel().isOpen()).isFalse();
		assertThat(held.channel().isOpen()).isTrue();
		held.release();
		assertThat(held.channel().isOpen()).isFalse();
		assertThat(table.openCount()).isZero();
	}

	@Test
	void theTableRefusesUseFromAnotherThread() throws Exception {
		io.netty.channel.DefaultEventLoop loop = new io.netty.channel.DefaultEventLoop();
		try {
			OpenFileTable table = new OpenFileTable(loop, FdtSettings.DEFAULTS);
			Path path = file("a", "a");
			org.assertj.core.api.Assertions.assertThatIllegalStateException()
				.isThrownBy(() -> table.acquire(path, 1, Files.getLastModifiedTime(path).toMillis()));
		}
		finally {
			loop.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
		}
	}

	@Test
	void aSmallFileIsReadIntoMemoryOnceAndFreedWithItsDescriptor() throws IOException {
		OpenFileTable table = table(false);
		Path path = file("small.txt", "small contents");
		OpenFile first = acquire(table, path);
		ByteBuf contents = first.contents(1024, UnpooledByteBufAllocator.DEFAULT);
		assertThat(contents.toString(StandardCharsets.UTF_8)).isEqualTo("small contents");
		OpenFile second = acquire(table, path);
		assertThat(second.contents(1024, UnpooledByteBufAllocator.DEFAULT)).isSameAs(contents);
		first.release();
		second.release();
		assertThat(contents.refCnt()).as("freed with the descriptor").isZero();
	}

	@Test
	void aFileLargerThanTheLimitIsNotKeptInMemory() throws IOException {
		OpenFileTable table = table(true);
		OpenFile file = acquire(table, file("big.txt", "x".repeat(2048)));
		assertThat(file.contents(1024, UnpooledByteBufAllocator.DEFAULT)).isNull();
		file.release();
	}

	@Test
	void settingsOutOfRangeAreRefusedByName() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new FdtSettings(0, 8, true, Duration.ofSeconds(1), FdtSettings.DEFAULT_VALID))
			.withMessageContaining("fdt.buckets");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new FdtSettings(64, 0, true, Duration.ofSeconds(1), FdtSettings.DEFAULT_VALID))
			.withMessageContaining("fdt.slots");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new FdtSettings(64, 8, true, Duration.ZERO, FdtSettings.DEFAULT_VALID))
			.withMessageContaining("fdt.idle-timeout");
		assertThatIllegalArgumentException().isThrownBy(() -> FdtSettings.DEFAULTS.withValid(Duration.ofSeconds(-1)))
			.withMessageContaining("fdt.valid");
		assertThatIllegalArgumentException().isThrownBy(() -> FdtSettings.DEFAULTS.withValid(Duration.ofHours(2)))
			.withMessageContaining("fdt.valid");
	}

	private OpenFileTable table(boolean retain) {
		return new OpenFileTable(ImmediateEventExecutor.INSTANCE, new FdtSettings(FdtSettings.DEFAULT_BUCKETS,
				FdtSettings.DEFAULT_SLOTS, retain, Duration.ofSeconds(10), FdtSettings.DEFAULT_VALID));
	}

	private Path file(String name, String content) throws IOException {
		return Files.writeString(this.temp.resolve(name), content);
	}

	private static OpenFile acquire(OpenFileTable table, Path path) throws IOException {
		return table.acquire(path, Files.size(path), Files.getLastModifiedTime(path).toMillis());
	}

}
