package dev.capuchin.plugin.fastcgi.internal;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link RecordDecoder}: records split across reads, several in one read,
 * padding, and a corrupt stream.
 */
class RecordDecoderTests {

	private final EmbeddedChannel channel = new EmbeddedChannel(new RecordDecoder());

	@AfterEach
	void finish() {
		this.channel.finishAndReleaseAll();
	}

	@Test
	void recordSplitAcrossReadsIsDecodedOnceComplete() {
		byte[] record = record(6, 1, "hello", 3);
		this.channel.writeInbound(Unpooled.wrappedBuffer(record, 0, 3));
		assertThat((Object) this.channel.readInbound()).isNull();
		this.channel.writeInbound(Unpooled.wrappedBuffer(record, 3, 7));
		assertThat((Object) this.channel.readInbound()).isNull();
		this.channel.writeInbound(Unpooled.wrappedBuffer(record, 10, record.length - 10));
		FastCgiRecord decoded = this.channel.readInbound();
		assertThat(decoded.type()).isEqualTo(RecordType.STDOUT);
		assertThat(decoded.requestId()).isEqualTo(1);
		assertThat(decoded.content().toString(StandardCharsets.US_ASCII)).isEqualTo("hello");
		decoded.release();
	}

	@Test
	void paddingIsSkippedBetweenRecords() {
		ByteBuf both = Unpooled.wrappedBuffer(record(6, 1, "abc", 5), record(7, 1, "oops", 4));
		this.channel.writeInbound(both);
		FastCgiRecord first = this.channel.readInbound();
		FastCgiRecord second = this.channel.readInbound();
		assertThat(first.content().toString(StandardCharsets.US_ASCII)).isEqualTo("abc");
		assertThat(second.type()).isEqualTo(RecordType.STDERR);
		assertThat(second.content().toString(StandardCharsets.US_ASCII)).isEqualTo("oops");
		first.release();
		second.release();
	}

	@Test
	void recordSplitInsideItsPaddingWaitsForThePadding() {
		byte[] record = record(6, 1, "x", 7);
		this.channel.writeInbound(Unpooled.wrappedBuffer(record, 0, 12));
		assertThat((Object) this.channel.readInbound()).isNull();
		this.channel.writeInbound(Unpooled.wrappedBuffer(record, 12, record.length - 12));
		FastCgiRecord decoded = this.channel.readInbound();
		assertThat(decoded.content().readableBytes()).isEqualTo(1);
		decoded.release();
	}

	@Test
	void largestRecordIsDecoded() {
		String content = "y".repeat(65535);
		this.channel.writeInbound(Unpooled.wrappedBuffer(record(6, 1, content, 1)));
		FastCgiRecord decoded = this.channel.readInbound();
		assertThat(decoded.content().readableBytes()).isEqualTo(65535);
		decoded.release();
	}

	@Test
	void unknownTypeIsKeptByNumber() {
		this.channel.writeInbound(Unpooled.wrappedBuffer(record(42, 0, "", 0)));
		FastCgiRecord decoded = this.channel.readInbound();
		assertThat(decoded.type()).isNull();
		assertThat(decoded.typeCode()).isEqualTo(42);
		decoded.release();
	}

	@Test
	void wrongVersionIsCorrupt() {
		byte[] record = record(6, 1, "x", 0);
		record[0] = 2;
		assertThatExceptionOfType(DecoderException.class)
			.isThrownBy(() -> this.channel.writeInbound(Unpooled.wrappedBuffer(record)))
			.withMessageContaining("version 2");
	}

	static byte[] record(int type, int requestId, String content, int padding) {
		byte[] bytes = content.getBytes(StandardCharsets.ISO_8859_1);
		byte[] out = new byte[8 + bytes.length + padding];
		out[0] = 1;
		out[1] = (byte) type;
		out[2] = (byte) (requestId >> 8);
		out[3] = (byte) requestId;
		out[4] = (byte) (bytes.length >> 8);
		out[5] = (byte) bytes.length;
		out[6] = (byte) padding;
		System.arraycopy(bytes, 0, out, 8, bytes.length);
		for (int i = 0; i < padding; i++) {
			out[8 + bytes.length + i] = (byte) 0xEE;
		}
		return out;
	}

}
