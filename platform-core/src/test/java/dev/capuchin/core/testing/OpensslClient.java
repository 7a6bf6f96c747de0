package dev.capuchin.core.testing;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the system's {@code openssl s_client} against a listener, for what a JDK client
 * cannot choose or see (cipher lists, groups, session reuse), and returns what it
 * printed.
 */
public final class OpensslClient {

	private static final long TIMEOUT_SECONDS = 30;

	private OpensslClient() {
	}

	/**
	 * Connect, shake hands, send nothing and close.
	 * @param address the listener
	 * @param options further {@code s_client} options
	 * @return the outcome
	 */
	public static Result connect(InetSocketAddress address, String... options) {
		return run(address, null, options);
	}

	/**
	 * Connect, send a request, read until the server closes (the request should ask it
	 * to), and close: what lets a TLS 1.3 session ticket, sent after the handshake, reach
	 * the client.
	 * @param address the listener
	 * @param request the request bytes
	 * @param options further {@code s_client} options
	 * @return the outcome
	 */
	public static Result request(InetSocketAddress address, String request, String... options) {
		return run(address, request, options);
	}

	private static Result run(InetSocketAddress address, String request, String... options) {
		List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect",
				address.getHostString() + ":" + address.getPort(), "-servername", "localhost"));
		command.addAll(List.of(options));
		if (request != null) {
			command.add("-ign_eof");
		}
		try {
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
			if (request == null) {
				builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
			}
			Process process = builder.start();
			if (request != null) {
				try (OutputStream input = process.getOutputStream()) {
					input.write(request.getBytes(StandardCharsets.ISO_8859_1));
				}
			}
			if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException("openssl s_client did not finish: " + command);
			}
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			return new Result(process.exitValue(), output);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * What {@code s_client} printed.
	 *
	 * @param exitCode its exit code
	 * @param output its standard output and error
	 */
	public record Result(int exitCode, String output) {

		/**
		 * Whether a handshake completed (a cipher was agreed).
		 * @return {@code true} when the session has a cipher
		 */
		public boolean handshaken() {
			return this.output.contains("Cipher is ") && !this.output.contains("Cipher is (NONE)");
		}

		/**
		 * How many handshakes resumed a session.
		 * @return the count of {@code Reused} lines
		 */
		public long reused() {
			return this.output.lines().filter((line) -> line.startsWith("Reused,")).count();
		}

	}

}
