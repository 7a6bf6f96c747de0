package dev.capuchin.plugin.auth.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

@ExtendWith(OutputCaptureExtension.class)
class WatchedUsersFileTests {

	private static final String BOB = "bob:{SHA}9SMYoF5RilWWASry7TjeaKwmpGg=\n";

	/** {@code htpasswd -nbs bob rebuilt}. */
	private static final String BOB_REBUILT = "bob:{SHA}7suc5224J2SZziFvzOGz3ayKmY8=\n";

	@TempDir
	Path temp;

	private Path file;

	private final AtomicInteger reloads = new AtomicInteger();

	private WatchedUsersFile watched;

	@BeforeEach
	void watch() throws Exception {
		this.file = Files.writeString(this.temp.resolve("users"), BOB);
		this.watched = new WatchedUsersFile(this.file, Duration.ZERO, this.reloads::incrementAndGet);
		this.watched.prepare();
	}

	@Test
	void prepareReadsTheFile() {
		assertThat(this.watched.current().users().verify("bob", "builder")).isTrue();
		assertThat(this.reloads).hasValue(1);
	}

	@Test
	void aChangedFileIsReadAgainWithANewGeneration() throws Exception {
		long generation = this.watched.current().generation();
		Files.writeString(this.file, BOB_REBUILT);
		WatchedUsersFile.Loaded loaded = this.watched.refresh(System.nanoTime());
		assertThat(loaded.users().verify("bob", "rebuilt")).isTrue();
		assertThat(loaded.users().verify("bob", "builder")).isFalse();
		assertThat(loaded.generation()).isNotEqualTo(generation);
		assertThat(this.reloads).hasValue(2);
	}

	@Test
	void aFileReplacedByAMoveIsReadAgain() throws Exception {
		Path next = Files.writeString(this.temp.resolve("users.new"), BOB_REBUILT);
		Files.move(next, this.file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		assertThat(this.watched.refresh(System.nanoTime()).users().verify("bob", "rebuilt")).isTrue();
	}

	@Test
	void anUnchangedFileIsNotReadAgain() {
		long generation = this.watched.current().generation();
		assertThat(this.watched.refresh(System.nanoTime()).generation()).isEqualTo(generation);
		assertThat(this.reloads).hasValue(1);
	}

	@Test
	void aRefusedReloadKeepsThePreviousUsersAndLogsAnError(CapturedOutput output) throws Exception {
		Files.writeString(this.file, BOB + "carol:letmein\n");
		WatchedUsersFile.Loaded loaded = this.watched.refresh(System.nanoTime());
		assertThat(loaded.users().verify("bob", "builder")).isTrue();
		assertThat(output).contains("ERROR")
			.contains("reload refused, keeping the previous 1 users")
			.contains("line 2: user carol: plaintext password");
	}

	@Test
	void aDeletedFileKeepsThePreviousUsers(CapturedOutput output) throws Exception {
		Files.delete(this.file);
		assertThat(this.watched.refresh(System.nanoTime()).users().verify("bob", "builder")).isTrue();
		assertThat(output).contains("no longer readable; keeping its 1 users");
	}

	@Test
	void theFileIsNotExaminedWithinTheCheckInterval() throws Exception {
		WatchedUsersFile slow = new WatchedUsersFile(this.file, Duration.ofHours(1), () -> {
		});
		slow.prepare();
		Files.writeString(this.file, BOB_REBUILT);
		assertThat(slow.isFresh(System.nanoTime())).isTrue();
		assertThat(slow.refresh(System.nanoTime()).users().verify("bob", "builder")).isTrue();
	}

	@Test
	void prepareRefusesAChangedFileThatIsInvalidAndKeepsThePreviousUsers() throws Exception {
		Files.writeString(this.file, "bob:$apr1$YlwufJTj$.1op9nqX8W8cKlrK0BoY20\n");
		assertThatIllegalArgumentException().isThrownBy(this.watched::prepare)
			.withMessageContaining("line 1: user bob: unsupported scheme $apr1$");
		assertThat(this.watched.current().users().verify("bob", "builder")).isTrue();
	}

}
