package dev.capuchin.plugin.fastcgi.internal;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;

/**
 * First handler of an application-server connection: cuts the byte stream into
 * {@link FastCgiRecord}s as their bytes arrive, however the records were split across
 * reads, and drops their padding. A record is at most 8 + 65535 + 255 bytes, so the
 * decoder never holds more than one record's worth beyond what it has emitted; a version
 * other than 1 is a {@link CorruptedFrameException} (the connection is then useless).
 */
public final class RecordDecoder extends ByteToMessageDecoder {

	/** The length of a record header. */
	public static final int HEADER_LENGTH = 8;

	/** The only protocol version. */
	public static final int VERSION = 1;

	@Override
	protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
		while (in.readableBytes() >= HEADER_LENGTH) {
			int at = in.readerIndex();
			int version = in.getUnsignedByte(at);
			if (version != VERSION) {
				in.skipBytes(in.readableBytes());
				throw new CorruptedFrameException("FastCGI record version " + version + " (expected: " + VERSION + ")");
			}
			int contentLength = in.getUnsignedShort(at + 4);
			int paddingLength = in.getUnsignedByte(at + 6);
			if (in.readableBytes() < HEADER_LENGTH + contentLength + paddingLength) {
				return;
			}
			int type = in.getUnsignedByte(at + 1);
			int requestId = in.getUnsignedShort(at + 2);
			in.skipBytes(HEADER_LENGTH);
			ByteBuf content = in.readRetainedSlice(contentLength);
			in.skipBytes(paddingLength);
			out.add(new FastCgiRecord(type, requestId, content));
		}
	}

}
