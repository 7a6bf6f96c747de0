package dev.capuchin.plugin.cgi;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The plugin's global settings and the defaults of every {@code cgi:} block. Each limit
 * stops one way a script or a client could exhaust the server.
 *
 * @param timeout how long a script may run, from its start to the end of its output; then
 * its whole process group is killed and the client gets 504 (or, once the response has
 * begun, a closed connection)
 * @param maxConcurrent scripts that may run at once per site; more requests wait
 * {@code queueTimeout} for a place, then get 503 with {@code Retry-After}
 * @param queueTimeout how long a request waits for a place before its 503
 * @param maxProcesses scripts that may run at once in all; it also bounds the threads
 * that move their bytes (four per script at most)
 * @param passEnv names of Capuchin's own environment variables a script inherits; the
 * environment is otherwise the CGI meta-variables only
 * @param maxHeaderSize the largest header block a script may write before its body; a
 * longer one is malformed output (502)
 */
public record CgiSettings(Duration timeout, int maxConcurrent, Duration queueTimeout, int maxProcesses,
		List<String> passEnv, int maxHeaderSize) {

	/** Default {@link #timeout()} in seconds: 60. */
	public static final int DEFAULT_TIMEOUT_SECONDS = 60;

	/** Default {@link #maxConcurrent()}: 16. */
	public static final int DEFAULT_MAX_CONCURRENT = 16;

	/** Default {@link #queueTimeout()} in milliseconds: 2000. */
	public static final int DEFAULT_QUEUE_TIMEOUT_MILLIS = 2000;

	/** Default {@link #maxProcesses()}: 64. */
	public static final int DEFAULT_MAX_PROCESSES = 64;

	/** Default {@link #passEnv()}: {@code PATH} and {@code LANG}. */
	public static final List<String> DEFAULT_PASS_ENV = List.of("PATH", "LANG");

	/** Default {@link #maxHeaderSize()}: 16 KiB. */
	public static final int DEFAULT_MAX_HEADER_SIZE = 16 * 1024;

	public CgiSettings {
		positive("timeout", timeout);
		if (maxConcurrent < 1 || maxConcurrent > 10_000) {
			throw new IllegalArgumentException("max-concurrent: " + maxConcurrent + " (expected: 1..10000)");
		}
		Objects.requireNonNull(queueTimeout, "queueTimeout");
		if (queueTimeout.isNegative()) {
			throw new IllegalArgumentException("queue-timeout: " + queueTimeout + " (expected: >= 0)");
		}
		if (maxProcesses < 1 || maxProcesses > 4096) {
			throw new IllegalArgumentException("max-processes: " + maxProcesses + " (expected: 1..4096)");
		}
		passEnv = List.copyOf(passEnv);
		for (int i = 0; i < passEnv.size(); i++) {
			String problem = CgiLocation.envNameProblem(passEnv.get(i));
			if (problem != null) {
				throw new IllegalArgumentException("pass-env[" + i + "]: " + problem);
			}
		}
		if (maxHeaderSize < 256 || maxHeaderSize > 1024 * 1024) {
			throw new IllegalArgumentException("max-header-size: " + maxHeaderSize + " (expected: 256B..1MB)");
		}
	}

	/**
	 * The defaults: 60 s per script, 16 per site waiting 2 s for a place, 64 in all,
	 * {@code PATH} and {@code LANG} passed on, 16 KiB of script headers.
	 * @return the defaults
	 */
	public static CgiSettings defaults() {
		return new CgiSettings(Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS), DEFAULT_MAX_CONCURRENT,
				Duration.ofMillis(DEFAULT_QUEUE_TIMEOUT_MILLIS), DEFAULT_MAX_PROCESSES, DEFAULT_PASS_ENV,
				DEFAULT_MAX_HEADER_SIZE);
	}

	private static void positive(String key, Duration value) {
		Objects.requireNonNull(value, key);
		if (value.isZero() || value.isNegative()) {
			throw new IllegalArgumentException(key + ": " + value + " (expected: > 0)");
		}
	}

}
