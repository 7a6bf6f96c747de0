package dev.capuchin.plugin.proxy.internal.cache;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;

/**
 * A body's buffers gathered (retained) while it streams to the client, within a bound.
 */
final class BodyParts {

	final List<ByteBuf> buffers = new ArrayList<>();

	final long max;

	long length;

	boolean over;

	BodyParts(long max) {
		this.max = max;
	}

	synchronized void add(ByteBuf buffer) {
		if (this.over) {
			return;
		}
		this.length += buffer.readableBytes();
		if (this.length > this.max) {
			this.over = true;
			releaseAll();
			return;
		}
		this.buffers.add(buffer.retainedDuplicate());
	}

	synchronized boolean fits() {
		return !this.over;
	}

	synchronized void release() {
		releaseAll();
	}

	private void releaseAll() {
		for (ByteBuf buffer : this.buffers) {
			buffer.release();
		}
		this.buffers.clear();
	}

}
