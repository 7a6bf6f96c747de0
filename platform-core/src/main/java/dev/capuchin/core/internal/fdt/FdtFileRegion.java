package dev.capuchin.core.internal.fdt;

import io.netty.channel.DefaultFileRegion;

/**
 * A zero-copy file region over a shared {@link OpenFile}. Netty's epoll transport sends
 * it with {@code sendfile(2)} like any {@link DefaultFileRegion}; releasing it gives the
 * reference back to the worker's table instead of closing the shared descriptor.
 */
public final class FdtFileRegion extends DefaultFileRegion {

	private final OpenFile file;

	/**
	 * Create a region that covers {@code count} bytes of {@code file} from
	 * {@code position}.
	 * @param file a reference taken from the table, handed over to this region
	 * @param position the first byte
	 * @param count the number of bytes
	 */
	public FdtFileRegion(OpenFile file, long position, long count) {
		super(file.channel(), position, count);
		this.file = file;
	}

	@Override
	protected void deallocate() {
		this.file.release();
	}

}
