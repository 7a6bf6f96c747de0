package dev.capuchin.app.certificates;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.shredzone.acme4j.exception.AcmeException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * The DNS hook's contract, with real shell scripts: arguments, environment, exit status
 * and time limit.
 */
class DnsHookTests {

	@TempDir
	Path temp;

	@Test
	void presentPassesTheActionRecordAndValueAsArgumentsAndInTheEnvironment() throws Exception {
		Path seen = this.temp.resolve("seen");
		DnsHook hook = new DnsHook(script("echo \"$1|$2|$3|$CAPUCHIN_ACME_ACTION|$CAPUCHIN_ACME_RECORD|"
				+ "$CAPUCHIN_ACME_DOMAIN|$CAPUCHIN_ACME_VALUE\" > " + seen), Duration.ofSeconds(10));
		hook.present("_acme-challenge.example.test.", "example.test", "digest");
		assertThat(Files.readString(seen).strip())
			.isEqualTo("present|_acme-challenge.example.test.|digest|present|_acme-challenge.example.test.|"
					+ "example.test|digest");
	}

	@Test
	void aHookThatExitsNonZeroFailsTheOrderWithTheEndOfItsOutput() throws Exception {
		DnsHook hook = new DnsHook(script("echo 'provider said no' >&2; exit 3"), Duration.ofSeconds(10));
		assertThatExceptionOfType(AcmeException.class)
			.isThrownBy(() -> hook.present("_acme-challenge.example.test.", "example.test", "digest"))
			.withMessageContaining("exit status 3")
			.withMessageContaining("provider said no");
	}

	@Test
	void aHookThatOutlivesItsTimeLimitIsKilledAndFailsTheOrder() throws Exception {
		DnsHook hook = new DnsHook(script("sleep 30"), Duration.ofSeconds(1));
		Instant start = Instant.now();
		assertThatExceptionOfType(AcmeException.class)
			.isThrownBy(() -> hook.present("_acme-challenge.example.test.", "example.test", "digest"))
			.withMessageContaining("no exit within PT1S");
		assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(10));
	}

	@Test
	void aFailedCleanupIsOnlyLogged() throws Exception {
		DnsHook hook = new DnsHook(script("exit 1"), Duration.ofSeconds(10));
		assertThatNoException()
			.isThrownBy(() -> hook.cleanup("_acme-challenge.example.test.", "example.test", "digest"));
	}

	@Test
	void aHookThatCannotBeRunFailsTheOrderSayingWhatWasExpected() {
		DnsHook hook = new DnsHook(this.temp.resolve("missing.sh"), Duration.ofSeconds(10));
		assertThatExceptionOfType(AcmeException.class)
			.isThrownBy(() -> hook.present("_acme-challenge.example.test.", "example.test", "digest"))
			.withMessageContaining("expected: an executable file");
	}

	private Path script(String body) throws IOException {
		Path script = Files.createTempFile(this.temp, "hook", ".sh");
		Files.writeString(script, "#!/bin/sh\n" + body + "\n");
		Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
		return script;
	}

}
