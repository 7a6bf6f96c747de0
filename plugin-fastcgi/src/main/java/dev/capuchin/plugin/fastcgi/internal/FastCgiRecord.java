package dev.capuchin.plugin.fastcgi.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * One record read from an application server, its padding already skipped: the
 * {@link RecordDecoder}'s output. The content is a retained slice of the read buffer;
 * whoever takes the record releases it.
 */
public final class FastCgiRecord extends DefaultByteBufHolder {

	private final RecordType type;

	private final int typeCode;

	private final int requestId;

	/**
	 * Create a record.
	 * @param typeCode the type's number on the wire
	 * @param requestId the request id
	 * @param content the content, without padding
	 */
	public FastCgiRecord(int typeCode, int requestId, ByteBuf content) {
		super(content);
		this.typeCode = typeCode;
		this.type = RecordType.of(typeCode);
		this.requestId = requestId;
	}

	/**
	 * The record's type.
	 * @return the type, or {@code null} for one Capuchin does not know
	 */
	public RecordType type() {
		return this.type;
	}

	/**
	 * The type's number as read.
	 * @return the number
	 */
	public int typeCode() {
		return this.typeCode;
	}

	/**
	 * The request the record belongs to (0 for management records).
	 * @return the request id
	 */
	public int requestId() {
		return this.requestId;
	}

	@Override
	public String toString() {
		return "FastCgiRecord[" + ((this.type != null) ? this.type : this.typeCode) + ", request " + this.requestId
				+ ", " + content().readableBytes() + " bytes]";
	}

}
