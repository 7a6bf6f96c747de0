package dev.capuchin.plugin.cgi.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.capuchin.plugin.cgi.CgiOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ScriptReaperTests {

	@TempDir
	Path dir;

	@Test
	void exitedScriptThatAnsweredIsReapedWithoutATask() throws Exception {
		ScriptProcess running = start("#!/bin/sh\nexit 0\n");
		assertThat(running.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
		List<Runnable> tasks = new CopyOnWriteArrayList<>();
		List<CgiOutcome> outcomes = new CopyOnWriteArrayList<>();
		Set<ScriptProcess> live = ConcurrentHashMap.newKeySet();
		live.add(running);
		ScriptReaper.reap(running, CgiOutcome.OK, 5000, tasks::add, live, outcomes::add, "test");
		assertThat(tasks).isEmpty();
		assertThat(outcomes).containsExactly(CgiOutcome.OK);
		assertThat(live).isEmpty();
	}

	@Test
	void runningScriptThatAnsweredIsKilledAfterTheGrace() throws Exception {
		ScriptProcess running = start("#!/bin/sh\nexec sleep 60\n");
		List<CgiOutcome> outcomes = new CopyOnWriteArrayList<>();
		Set<ScriptProcess> live = ConcurrentHashMap.newKeySet();
		live.add(running);
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			ScriptReaper.reap(running, CgiOutcome.OK, 200, executor, live, outcomes::add, "test");
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(outcomes).containsExactly(CgiOutcome.OK));
			assertThat(running.killed()).isTrue();
			assertThat(running.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
			assertThat(live).isEmpty();
		}
		finally {
			executor.shutdownNow();
		}
	}

	private ScriptProcess start(String content) throws IOException {
		Path file = this.dir.resolve("script.sh");
		Files.writeString(file, content);
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
		return ScriptProcess.start(ScriptProcess.Tools.find(), new Script("/script.sh", "", file, null, false), null,
				Map.of("PATH", "/usr/bin:/bin"));
	}

}
