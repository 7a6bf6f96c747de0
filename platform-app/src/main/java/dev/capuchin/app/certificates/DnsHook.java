package dev.capuchin.app.certificates;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.shredzone.acme4j.exception.AcmeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command that publishes DNS-01 TXT records ({@code capuchin.acme.dns-hook}), so that
 * any DNS provider can be scripted. It is run as
 *
 * <pre>
 * &lt;hook&gt; present &lt;record&gt; &lt;value&gt;
 * &lt;hook&gt; cleanup &lt;record&gt; &lt;value&gt;
 * </pre>
 *
 * where {@code record} is the TXT record's full name with its final dot
 * ({@code _acme-challenge.example.com.}) and {@code value} the text the record holds. The
 * same values are in the environment ({@code CAPUCHIN_ACME_ACTION},
 * {@code CAPUCHIN_ACME_RECORD}, {@code CAPUCHIN_ACME_DOMAIN}, the name validated without
 * {@code *.}, and {@code CAPUCHIN_ACME_VALUE}), besides the node's own. Exit status 0
 * means done: after {@code present}, the CA may look the record up at once, so a hook
 * waits for its provider's propagation itself. Any other status, or a run longer than
 * {@code capuchin.acme.dns-hook-timeout} (the hook is then killed), fails the order,
 * which is retried with the usual back-off; a failed {@code cleanup} is only logged. The
 * hook runs on the certificates' own thread, never an event loop, with no input; the end
 * of its output goes to the log and the error shown in the console.
 */
final class DnsHook {

	private static final Logger logger = LoggerFactory.getLogger(DnsHook.class);

	/** How much of the hook's output is kept for messages. */
	static final int OUTPUT_KEPT = 2000;

	private final Path command;

	private final Duration timeout;

	DnsHook(Path command, Duration timeout) {
		this.command = command;
		this.timeout = timeout;
	}

	/**
	 * Publish a TXT record.
	 * @param record the record's full name, with its final dot
	 * @param domain the name validated
	 * @param value the record's text
	 * @throws AcmeException when the hook fails or takes too long
	 * @throws InterruptedException when the node stops meanwhile
	 */
	void present(String record, String domain, String value) throws AcmeException, InterruptedException {
		run("present", record, domain, value);
	}

	/**
	 * Remove a TXT record; a failure is logged, never thrown.
	 * @param record the record's full name, with its final dot
	 * @param domain the name validated
	 * @param value the record's text
	 * @throws InterruptedException when the node stops meanwhile
	 */
	void cleanup(String record, String domain, String value) throws InterruptedException {
		try {
			run("cleanup", record, domain, value);
		}
		catch (AcmeException ex) {
			logger.warn("{}", ex.getMessage());
		}
	}

	private void run(String action, String record, String domain, String value)
			throws AcmeException, InterruptedException {
		Path output = null;
		Process process = null;
		try {
			output = Files.createTempFile("capuchin-dns-hook", ".log");
			ProcessBuilder builder = new ProcessBuilder(List.of(this.command.toString(), action, record, value))
				.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
				.redirectErrorStream(true)
				.redirectOutput(output.toFile());
			Map<String, String> environment = builder.environment();
			environment.put("CAPUCHIN_ACME_ACTION", action);
			environment.put("CAPUCHIN_ACME_RECORD", record);
			environment.put("CAPUCHIN_ACME_DOMAIN", domain);
			environment.put("CAPUCHIN_ACME_VALUE", value);
			process = builder.start();
			if (!process.waitFor(this.timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new AcmeException("capuchin.acme.dns-hook " + this.command + " " + action + " " + record
						+ ": no exit within " + this.timeout + " (killed)" + tail(output));
			}
			int status = process.exitValue();
			if (status != 0) {
				throw new AcmeException("capuchin.acme.dns-hook " + this.command + " " + action + " " + record
						+ ": exit status " + status + tail(output));
			}
			logger.info("DNS hook {} {} {}: done", this.command, action, record);
		}
		catch (IOException ex) {
			throw new AcmeException("capuchin.acme.dns-hook " + this.command + " " + action + " " + record + ": "
					+ ex.getMessage() + " (expected: an executable file)");
		}
		finally {
			if (process != null && process.isAlive()) {
				// the script's children too: a curl it started must not outlive it
				process.descendants().forEach(ProcessHandle::destroyForcibly);
				process.destroyForcibly();
			}
			if (output != null) {
				try {
					Files.deleteIfExists(output);
				}
				catch (IOException ex) {
					logger.debug("DNS hook output {} not deleted: {}", output, ex.toString());
				}
			}
		}
	}

	// the end of what the hook wrote, for the message
	private static String tail(Path output) {
		try (RandomAccessFile file = new RandomAccessFile(output.toFile(), "r")) {
			long length = file.length();
			if (length == 0) {
				return "";
			}
			long start = Math.max(0, length - OUTPUT_KEPT);
			byte[] bytes = new byte[(int) (length - start)];
			file.seek(start);
			file.readFully(bytes);
			return ": " + new String(bytes, StandardCharsets.UTF_8).strip();
		}
		catch (IOException ex) {
			return "";
		}
	}

}
