package dev.capuchin.plugin.fastcgi.internal;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link ResponseHead}: where the head ends, the status rules and refused
 * lines.
 */
class ResponseHeadTests {

	@Test
	void headEndsAfterTheEmptyCrlfLine() {
		ByteBuf bytes = ascii("Content-Type: text/html\r\n\r\nbody");
		assertThat(ResponseHead.end(bytes)).isEqualTo(bytes.readableBytes() - 4);
	}

	@Test
	void headEndsAfterABareNewlineLine() {
		ByteBuf bytes = ascii("Content-Type: text/html\n\nbody");
		assertThat(ResponseHead.end(bytes)).isEqualTo(bytes.readableBytes() - 4);
	}

	@Test
	void incompleteHeadHasNoEnd() {
		assertThat(ResponseHead.end(ascii("Content-Type: text/html\r\nX-A: b\r\n"))).isEqualTo(-1);
	}

	@Test
	void statusHeaderGivesTheStatus() {
		ResponseHead head = parse("Status: 404 Not Found\r\nContent-Type: text/plain\r\n\r\n");
		assertThat(head.status()).isEqualTo(404);
		assertThat(head.headers()).containsExactly(Map.entry("Content-Type", "text/plain"));
	}

	@Test
	void locationWithoutStatusIs302() {
		assertThat(parse("Location: https://example.com/\r\n\r\n").status()).isEqualTo(302);
	}

	@Test
	void noStatusIs200() {
		assertThat(parse("Content-Type: text/html\r\n\r\n").status()).isEqualTo(200);
	}

	@Test
	void hopByHopHeadersAreDropped() {
		ResponseHead head = parse("Connection: close\r\nTransfer-Encoding: chunked\r\nX-Kept: 1\r\n\r\n");
		assertThat(head.headers()).containsExactly(Map.entry("X-Kept", "1"));
	}

	@Test
	void lineWithoutColonIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> parse("Hello world\r\n\r\n"))
			.withMessageContaining("malformed header line");
	}

	@Test
	void controlCharacterInAValueIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> parse("X-Bad: bell\u0007\r\n\r\n"))
			.withMessage("control character in header X-Bad");
	}

	@Test
	void statusOutOfRangeIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> parse("Status: 999 Nope\r\n\r\n"))
			.withMessageContaining("malformed Status");
	}

	private static ResponseHead parse(String head) {
		return ResponseHead.parse(ascii(head));
	}

	private static ByteBuf ascii(String text) {
		return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
	}

}
