package dev.capuchin.plugin.fastcgi.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;

/**
 * Writes the records a web server sends (FastCGI 1.0, section 3 and 5): begin, params,
 * stdin and abort. Content longer than a record's 65535 bytes is split over several
 * records, and every record is padded to a multiple of 8 bytes, as the specification
 * recommends and nginx does. Stream content is not copied: the records are composite
 * buffers of a header, a slice of the caller's buffer and the padding.
 */
public final class RecordEncoder {

	/** The most content one record carries. */
	public static final int MAX_CONTENT = 65535;

	/** {@code FCGI_RESPONDER}, the only role Capuchin asks for. */
	public static final int ROLE_RESPONDER = 1;

	/**
	 * {@code FCGI_KEEP_CONN}: the application keeps the connection open after the
	 * request.
	 */
	public static final int FLAG_KEEP_CONN = 1;

	private static final byte[] PADDING = new byte[8];

	private RecordEncoder() {
	}

	/**
	 * An {@code FCGI_BEGIN_REQUEST} record for the responder role.
	 * @param alloc the allocator
	 * @param requestId the request id
	 * @param keepConnection whether the application keeps the connection after the
	 * request ({@code FCGI_KEEP_CONN})
	 * @return the record
	 */
	public static ByteBuf beginRequest(ByteBufAllocator alloc, int requestId, boolean keepConnection) {
		ByteBuf out = alloc.buffer(16);
		begin(out, requestId, keepConnection);
		return out;
	}

	/**
	 * An {@code FCGI_ABORT_REQUEST} record.
	 * @param alloc the allocator
	 * @param requestId the request id
	 * @return the record
	 */
	public static ByteBuf abortRequest(ByteBufAllocator alloc, int requestId) {
		ByteBuf out = alloc.buffer(8);
		header(out, RecordType.ABORT_REQUEST, requestId, 0, 0);
		return out;
	}

	/**
	 * What opens a request, in one buffer: the {@code FCGI_BEGIN_REQUEST} record, the
	 * whole {@code FCGI_PARAMS} stream (records of at most 65535 bytes each, padded, and
	 * the empty one that ends it) and, for a request without a body, the empty
	 * {@code FCGI_STDIN} record too. The pairs are written as UTF-8 straight into the
	 * buffer: per request one buffer and one write, where the records one by one took
	 * about ten buffers, two byte arrays per param and three writes.
	 * @param alloc the allocator
	 * @param requestId the request id
	 * @param keepConnection whether the application keeps the connection after the
	 * request ({@code FCGI_KEEP_CONN})
	 * @param params the names and values, in order
	 * @param bodyFollows whether {@code FCGI_STDIN} records with a body follow (else the
	 * stream's end is written here)
	 * @return the records
	 */
	public static ByteBuf request(ByteBufAllocator alloc, int requestId, boolean keepConnection,
			List<Map.Entry<String, String>> params, boolean bodyFollows) {
		ByteBuf pairs = alloc.buffer(1024);
		try {
			for (Map.Entry<String, String> param : params) {
				pair(pairs, param.getKey(), param.getValue());
			}
			int length = pairs.readableBytes();
			int records = (length + MAX_CONTENT - 1) / MAX_CONTENT;
			ByteBuf out = alloc.buffer(16 + length + 16 * records + 16);
			begin(out, requestId, keepConnection);
			while (pairs.isReadable()) {
				int part = Math.min(MAX_CONTENT, pairs.readableBytes());
				int padding = (8 - (part & 7)) & 7;
				header(out, RecordType.PARAMS, requestId, part, padding);
				out.writeBytes(pairs, part);
				out.writeBytes(PADDING, 0, padding);
			}
			header(out, RecordType.PARAMS, requestId, 0, 0);
			if (!bodyFollows) {
				header(out, RecordType.STDIN, requestId, 0, 0);
			}
			return out;
		}
		finally {
			pairs.release();
		}
	}

	private static void begin(ByteBuf out, int requestId, boolean keepConnection) {
		header(out, RecordType.BEGIN_REQUEST, requestId, 8, 0);
		out.writeShort(ROLE_RESPONDER);
		out.writeByte(keepConnection ? FLAG_KEEP_CONN : 0);
		out.writeZero(5);
	}

	/**
	 * One name-value pair (section 3.4) written as UTF-8 without a copy of its own.
	 * @param out where to write
	 * @param name the name
	 * @param value the value
	 */
	static void pair(ByteBuf out, String name, String value) {
		length(out, ByteBufUtil.utf8Bytes(name));
		length(out, ByteBufUtil.utf8Bytes(value));
		ByteBufUtil.writeUtf8(out, name);
		ByteBufUtil.writeUtf8(out, value);
	}

	/**
	 * The whole {@code FCGI_PARAMS} stream of a request: the pairs encoded (section 3.4),
	 * split into records, and the empty record that ends the stream.
	 * @param alloc the allocator
	 * @param requestId the request id
	 * @param params the names and values, in order
	 * @return the records
	 */
	public static ByteBuf params(ByteBufAllocator alloc, int requestId, List<Map.Entry<String, String>> params) {
		ByteBuf pairs = alloc.buffer(1024);
		try {
			for (Map.Entry<String, String> param : params) {
				pair(pairs, param.getKey().getBytes(StandardCharsets.UTF_8),
						param.getValue().getBytes(StandardCharsets.UTF_8));
			}
			ByteBuf records = stream(alloc, RecordType.PARAMS, requestId, pairs.retain());
			CompositeByteBuf out = alloc.compositeBuffer();
			out.addComponent(true, records);
			out.addComponent(true, end(alloc, RecordType.PARAMS, requestId));
			return out;
		}
		finally {
			pairs.release();
		}
	}

	/**
	 * One name-value pair (section 3.4): lengths under 128 in one byte, longer ones in
	 * four with the high bit set.
	 * @param out where to write
	 * @param name the name
	 * @param value the value
	 */
	public static void pair(ByteBuf out, byte[] name, byte[] value) {
		length(out, name.length);
		length(out, value.length);
		out.writeBytes(name);
		out.writeBytes(value);
	}

	private static void length(ByteBuf out, int length) {
		if (length < 128) {
			out.writeByte(length);
		}
		else {
			out.writeInt(length | 0x80000000);
		}
	}

	/**
	 * Stream records ({@code FCGI_STDIN}, {@code FCGI_PARAMS}) carrying some content: as
	 * many records as 65535-byte parts, each padded. An empty content gives an empty
	 * buffer (the stream's end is {@link #end}).
	 * @param alloc the allocator
	 * @param type the stream's type
	 * @param requestId the request id
	 * @param content the content, released by the returned buffer
	 * @return the records
	 */
	public static ByteBuf stream(ByteBufAllocator alloc, RecordType type, int requestId, ByteBuf content) {
		CompositeByteBuf out = alloc.compositeBuffer(Math.max(2, 3 * (content.readableBytes() / MAX_CONTENT + 1)));
		try {
			while (content.isReadable()) {
				int length = Math.min(MAX_CONTENT, content.readableBytes());
				int padding = (8 - (length & 7)) & 7;
				ByteBuf header = alloc.buffer(8);
				header(header, type, requestId, length, padding);
				out.addComponent(true, header);
				out.addComponent(true, content.readRetainedSlice(length));
				if (padding > 0) {
					out.addComponent(true, alloc.buffer(padding).writeBytes(PADDING, 0, padding));
				}
			}
			return out;
		}
		finally {
			content.release();
		}
	}

	/**
	 * The empty record that ends a stream.
	 * @param alloc the allocator
	 * @param type the stream's type
	 * @param requestId the request id
	 * @return the record
	 */
	public static ByteBuf end(ByteBufAllocator alloc, RecordType type, int requestId) {
		ByteBuf out = alloc.buffer(8);
		header(out, type, requestId, 0, 0);
		return out;
	}

	private static void header(ByteBuf out, RecordType type, int requestId, int contentLength, int paddingLength) {
		out.writeByte(RecordDecoder.VERSION);
		out.writeByte(type.code());
		out.writeShort(requestId);
		out.writeShort(contentLength);
		out.writeByte(paddingLength);
		out.writeByte(0);
	}

}
