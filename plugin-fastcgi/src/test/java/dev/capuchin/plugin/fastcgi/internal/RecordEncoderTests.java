package dev.capuchin.plugin.fastcgi.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RecordEncoder}, read back through {@link RecordDecoder}: split
 * streams, padding to 8 bytes, the name-value pair lengths, and the begin record.
 */
class RecordEncoderTests {

	private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;

	@Test
	void beginRequestAsksForTheResponderRoleAndKeepConn() {
		ByteBuf record = RecordEncoder.beginRequest(this.alloc, 1, true);
		assertThat(bytes(record)).containsExactly(1, 1, 0, 1, 0, 8, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0);
	}

	@Test
	void beginRequestWithoutKeepConnHasNoFlag() {
		ByteBuf record = RecordEncoder.beginRequest(this.alloc, 1, false);
		assertThat(bytes(record)[10]).isZero();
	}

	@Test
	void streamLongerThanARecordIsSplitAndPadded() {
		byte[] content = new byte[65535 + 10];
		for (int i = 0; i < content.length; i++) {
			content[i] = (byte) i;
		}
		ByteBuf records = RecordEncoder.stream(this.alloc, RecordType.STDIN, 1, Unpooled.wrappedBuffer(content));
		// 8 + 65535 + 1 padding, then 8 + 10 + 6 padding
		assertThat(records.readableBytes()).isEqualTo(8 + 65535 + 1 + 8 + 10 + 6);
		assertThat(records.getUnsignedByte(6)).isEqualTo((short) 1);
		List<FastCgiRecord> decoded = decode(records);
		assertThat(decoded).hasSize(2);
		assertThat(decoded.get(0).content().readableBytes()).isEqualTo(65535);
		assertThat(decoded.get(1).content().readableBytes()).isEqualTo(10);
		assertThat(decoded.get(1).content().getByte(0)).isEqualTo((byte) 65535);
		decoded.forEach(FastCgiRecord::release);
	}

	@Test
	void everyRecordIsAMultipleOfEightBytes() {
		for (int length = 1; length <= 17; length++) {
			ByteBuf records = RecordEncoder.stream(this.alloc, RecordType.STDIN, 1,
					Unpooled.wrappedBuffer(new byte[length]));
			assertThat(records.readableBytes() % 8).isZero();
			records.release();
		}
	}

	@Test
	void emptyStreamContentGivesNoRecord() {
		ByteBuf records = RecordEncoder.stream(this.alloc, RecordType.STDIN, 1, Unpooled.buffer());
		assertThat(records.readableBytes()).isZero();
		records.release();
	}

	@Test
	void paramsEndWithAnEmptyRecord() {
		ByteBuf records = RecordEncoder.params(this.alloc, 1, List.of(Map.entry("A", "b")));
		List<FastCgiRecord> decoded = decode(records);
		assertThat(decoded).hasSize(2);
		assertThat(decoded.get(0).type()).isEqualTo(RecordType.PARAMS);
		assertThat(decoded.get(1).type()).isEqualTo(RecordType.PARAMS);
		assertThat(decoded.get(1).content().readableBytes()).isZero();
		decoded.forEach(FastCgiRecord::release);
	}

	@Test
	void shortAndLongPairLengthsAreEncoded() {
		String longValue = "v".repeat(300);
		ByteBuf out = Unpooled.buffer();
		RecordEncoder.pair(out, "NAME".getBytes(StandardCharsets.US_ASCII),
				longValue.getBytes(StandardCharsets.US_ASCII));
		assertThat(out.readUnsignedByte()).isEqualTo((short) 4);
		assertThat(out.readInt()).isEqualTo(0x80000000 | 300);
		assertThat(out.readCharSequence(4, StandardCharsets.US_ASCII)).hasToString("NAME");
		assertThat(out.readableBytes()).isEqualTo(300);
	}

	@Test
	void paramsLargerThanARecordSpanSeveralAndReadBackWhole() {
		Map<String, String> params = new LinkedHashMap<>();
		for (int i = 0; i < 400; i++) {
			params.put("HTTP_X_" + i, "value-" + "z".repeat(200) + i);
		}
		ByteBuf records = RecordEncoder.params(this.alloc, 7, new ArrayList<>(params.entrySet()));
		List<FastCgiRecord> decoded = decode(records);
		assertThat(decoded.size()).isGreaterThan(2);
		ByteBuf joined = Unpooled.buffer();
		for (FastCgiRecord record : decoded) {
			assertThat(record.requestId()).isEqualTo(7);
			joined.writeBytes(record.content());
			record.release();
		}
		Map<String, String> read = readPairs(joined);
		assertThat(read).containsExactlyEntriesOf(params);
	}

	@Test
	void requestWithoutABodyIsBeginParamsAndStdinEndInOneBuffer() {
		List<Map.Entry<String, String>> params = List.of(Map.entry("SCRIPT_NAME", "/index.php"),
				Map.entry("HTTP_X_NAME", "caf\u00e9 \u6771\u4eac"), Map.entry("EMPTY", ""));
		ByteBuf expected = Unpooled.wrappedBuffer(RecordEncoder.beginRequest(this.alloc, 3, true),
				RecordEncoder.params(this.alloc, 3, params), RecordEncoder.end(this.alloc, RecordType.STDIN, 3));
		ByteBuf request = RecordEncoder.request(this.alloc, 3, true, params, false);
		assertThat(request).isNotInstanceOf(CompositeByteBuf.class);
		assertThat(request.nioBufferCount()).isOne();
		assertThat(bytes(request)).containsExactly(bytes(expected));
	}

	@Test
	void requestWithABodyLeavesTheStdinOpen() {
		List<FastCgiRecord> decoded = decode(
				RecordEncoder.request(this.alloc, 1, false, List.of(Map.entry("A", "b")), true));
		assertThat(decoded).extracting(FastCgiRecord::type)
			.containsExactly(RecordType.BEGIN_REQUEST, RecordType.PARAMS, RecordType.PARAMS);
		decoded.forEach(FastCgiRecord::release);
	}

	@Test
	void requestWithParamsLargerThanARecordSplitsThemAndReadsBackWhole() {
		Map<String, String> params = new LinkedHashMap<>();
		for (int i = 0; i < 400; i++) {
			params.put("HTTP_X_" + i, "value-" + "z".repeat(200) + i);
		}
		List<FastCgiRecord> decoded = decode(
				RecordEncoder.request(this.alloc, 7, true, new ArrayList<>(params.entrySet()), false));
		assertThat(decoded.get(0).type()).isEqualTo(RecordType.BEGIN_REQUEST);
		assertThat(decoded.get(decoded.size() - 1).type()).isEqualTo(RecordType.STDIN);
		ByteBuf joined = Unpooled.buffer();
		int records = 0;
		for (FastCgiRecord record : decoded) {
			assertThat(record.requestId()).isEqualTo(7);
			if (record.type() == RecordType.PARAMS) {
				assertThat(record.content().readableBytes()).isLessThanOrEqualTo(RecordEncoder.MAX_CONTENT);
				joined.writeBytes(record.content());
				records++;
			}
			record.release();
		}
		assertThat(records).isGreaterThan(2);
		assertThat(readPairs(joined)).containsExactlyEntriesOf(params);
	}

	private static Map<String, String> readPairs(ByteBuf in) {
		Map<String, String> pairs = new LinkedHashMap<>();
		while (in.isReadable()) {
			int nameLength = length(in);
			int valueLength = length(in);
			String name = in.readCharSequence(nameLength, StandardCharsets.UTF_8).toString();
			pairs.put(name, in.readCharSequence(valueLength, StandardCharsets.UTF_8).toString());
		}
		return pairs;
	}

	private static int length(ByteBuf in) {
		int first = in.getUnsignedByte(in.readerIndex());
		return (first < 128) ? in.readUnsignedByte() : in.readInt() & 0x7fffffff;
	}

	private static List<FastCgiRecord> decode(ByteBuf records) {
		EmbeddedChannel channel = new EmbeddedChannel(new RecordDecoder());
		channel.writeInbound(records);
		List<FastCgiRecord> decoded = new ArrayList<>();
		FastCgiRecord record;
		while ((record = channel.readInbound()) != null) {
			decoded.add(record);
		}
		channel.finishAndReleaseAll();
		return decoded;
	}

	private static int[] bytes(ByteBuf buffer) {
		int[] out = new int[buffer.readableBytes()];
		for (int i = 0; i < out.length; i++) {
			out[i] = buffer.getUnsignedByte(buffer.readerIndex() + i);
		}
		buffer.release();
		return out;
	}

}
