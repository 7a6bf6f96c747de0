package dev.capuchin.plugin.cgi.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CgiHeadTests {

	@Test
	void documentResponseIs200WithItsHeaders() throws IOException {
		CgiHead head = read("Content-Type: text/plain\nX-One: 1\n\nbody", false);
		assertThat(head.status()).isEqualTo(200);
		assertThat(head.headers()).containsExactly(Map.entry("Content-Type", "text/plain"), Map.entry("X-One", "1"));
		assertThat(new String(head.rest(), StandardCharsets.US_ASCII)).isEqualTo("body");
		assertThat(head.localRedirect()).isFalse();
	}

	@Test
	void crlfLinesAreAccepted() throws IOException {
		CgiHead head = read("Status: 404 Not Here\r\nContent-Type: text/html\r\n\r\nx", false);
		assertThat(head.status()).isEqualTo(404);
		assertThat(head.reason()).isEqualTo("Not Here");
		assertThat(head.rest()).containsExactly('x');
	}

	@Test
	void locationPathAloneIsALocalRedirect() throws IOException {
		CgiHead head = read("Location: /other?a=1\n\n", false);
		assertThat(head.localRedirect()).isTrue();
		assertThat(head.location()).isEqualTo("/other?a=1");
	}

	@Test
	void absoluteLocationIsAClientRedirect() throws IOException {
		CgiHead head = read("Location: https://example.com/\n\n", false);
		assertThat(head.localRedirect()).isFalse();
		assertThat(head.status()).isEqualTo(302);
	}

	@Test
	void locationWithStatusIsAClientRedirectWithThatStatus() throws IOException {
		CgiHead head = read("Status: 301 Moved\nLocation: /new\n\n", false);
		assertThat(head.localRedirect()).isFalse();
		assertThat(head.status()).isEqualTo(301);
	}

	@Test
	void hopByHopHeadersAreDropped() throws IOException {
		CgiHead head = read("Content-Type: text/plain\nConnection: close\nTransfer-Encoding: chunked\n\n", false);
		assertThat(head.headers()).containsExactly(Map.entry("Content-Type", "text/plain"));
	}

	@Test
	void contentLengthIsRead() throws IOException {
		assertThat(read("Content-Type: a/b\nContent-Length: 12\n\n", false).contentLength()).isEqualTo(12);
	}

	@Test
	void headerBlockEndedByTheOutputIsAResponseWithoutBody() throws IOException {
		CgiHead head = read("Status: 204 No Content\n", false);
		assertThat(head.status()).isEqualTo(204);
		assertThat(head.rest()).isEmpty();
	}

	@Test
	void nphStatusLineGivesStatusAndReason() throws IOException {
		CgiHead head = read("HTTP/1.1 299 Custom Reason\r\nContent-Type: text/plain\r\n\r\n", true);
		assertThat(head.status()).isEqualTo(299);
		assertThat(head.reason()).isEqualTo("Custom Reason");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "just text\n\n", "X-Only: 1\n\n", "Status: abc\n\n", "Status: 99 Low\n\n",
			"Status: 600 High\n\n", "Content-Type: a/b\n continued\n\n", "Bad Name: x\n\n",
			"Content-Type: a/b\nContent-Length: -1\n\n", "Content-Type: a\u0001b\n\n" })
	void malformedOutputIsRefused(String output) {
		assertThatExceptionOfType(CgiHead.Malformed.class).isThrownBy(() -> read(output, false));
	}

	@Test
	void nphWithoutStatusLineIsRefused() {
		assertThatExceptionOfType(CgiHead.Malformed.class).isThrownBy(() -> read("Content-Type: text/plain\n\n", true))
			.withMessageContaining("nph status line");
	}

	@Test
	void headerBlockPastTheLimitIsRefused() {
		String big = "Content-Type: text/plain\n" + "X-Pad: " + "p".repeat(2000) + "\n\n";
		assertThatExceptionOfType(CgiHead.Malformed.class)
			.isThrownBy(
					() -> CgiHead.read(new ByteArrayInputStream(big.getBytes(StandardCharsets.US_ASCII)), 1024, false))
			.withMessageContaining("longer than 1024");
	}

	/**
	 * Found by {@code CgiHeadFuzzTests#read} (input
	 * {@code crash-4b4adb75da9b1c2253cd39fdf681f6c29d6ae355}): an nph script whose output
	 * is a line break only was an {@code ArrayIndexOutOfBoundsException}, not a 502.
	 */
	@Test
	void nphOutputOfALineBreakOnlyIsRefused() {
		assertThatExceptionOfType(CgiHead.Malformed.class).isThrownBy(() -> read("\n", true))
			.withMessageContaining("nph status line");
	}

	private static CgiHead read(String output, boolean nph) throws IOException {
		return CgiHead.read(new ByteArrayInputStream(output.getBytes(StandardCharsets.ISO_8859_1)), 16384, nph);
	}

}
