package dev.capuchin.plugin.cgi;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.testing.EveryTransport;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 100 MiB through a script and back, in a test JVM whose heap (64 MiB, set in the
 * module's build) cannot hold the body: the request body must stream to the script's
 * stdin and its stdout to the client, never buffered whole. The client streams too, and
 * compares digests.
 */
@EveryTransport
class CgiStreamingTests {

	private static final long SIZE = 100L * 1024 * 1024;

	@TempDir
	Path temp;

	@Parameter
	Transport transport;

	private KernelFixture kernel;

	@AfterEach
	void stopKernel() {
		if (this.kernel != null) {
			this.kernel.close();
		}
	}

	@Test
	void hundredMebibytesStreamInAndOutWithinASmallHeap() throws Exception {
		assertThat(Runtime.getRuntime().maxMemory()).as("test heap").isLessThan(SIZE);
		CgiPlugin plugin = new CgiPlugin(CgiSettings.defaults(), CgiOutcomeListener.NONE);
		this.kernel = KernelFixture.builder(this.temp)
			.transport(this.transport)
			.plugin(plugin)
			.defaultSite(Map.of("locations",
					List.of(Map.of("path", "/cgi-bin/", "max-body-size", "200MB", "cgi", Map.of("timeout", "120s")))))
			.start();
		CgiScripts.executable(this.kernel.root(), "/cgi-bin/echo.sh",
				"#!/bin/sh\nprintf 'Content-Type: application/octet-stream\\n\\n'\nexec cat\n");
		try (RawHttp http = this.kernel.connect()) {
			http.socket().setSoTimeout(60_000);
			OutputStream out = http.socket().getOutputStream();
			out.write(("POST /cgi-bin/echo.sh HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + SIZE
					+ "\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			CompletableFuture<String> sent = CompletableFuture.supplyAsync(() -> send(out));
			InputStream in = http.socket().getInputStream();
			String head = head(in);
			assertThat(head).startsWith("HTTP/1.1 200").containsIgnoringCase("transfer-encoding: chunked");
			MessageDigest received = MessageDigest.getInstance("SHA-256");
			long count = chunked(in, received);
			assertThat(count).isEqualTo(SIZE);
			assertThat(HexFormat.of().formatHex(received.digest())).isEqualTo(sent.get());
		}
	}

	/** Write SIZE pseudo-random bytes, returning their digest. */
	private static String send(OutputStream out) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			Random random = new Random(42);
			byte[] block = new byte[64 * 1024];
			for (long written = 0; written < SIZE; written += block.length) {
				random.nextBytes(block);
				digest.update(block);
				out.write(block);
			}
			out.flush();
			return HexFormat.of().formatHex(digest.digest());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String head(InputStream in) throws Exception {
		StringBuilder head = new StringBuilder();
		while (head.length() < 4 || head.lastIndexOf("\r\n\r\n") != head.length() - 4) {
			int c = in.read();
			if (c < 0) {
				break;
			}
			head.append((char) c);
		}
		return head.toString();
	}

	private static long chunked(InputStream in, MessageDigest digest) throws Exception {
		long total = 0;
		byte[] buffer = new byte[64 * 1024];
		while (true) {
			String line = line(in);
			int size = Integer.parseInt(line.split(";")[0].trim(), 16);
			if (size == 0) {
				line(in);
				return total;
			}
			int left = size;
			while (left > 0) {
				int read = in.read(buffer, 0, Math.min(buffer.length, left));
				if (read < 0) {
					throw new IllegalStateException("cut inside a chunk");
				}
				digest.update(buffer, 0, read);
				left -= read;
			}
			total += size;
			line(in);
		}
	}

	private static String line(InputStream in) throws Exception {
		StringBuilder line = new StringBuilder();
		int c;
		while ((c = in.read()) >= 0 && c != '\n') {
			if (c != '\r') {
				line.append((char) c);
			}
		}
		return line.toString();
	}

}
