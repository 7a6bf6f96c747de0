package dev.capuchin.plugin.cgi.internal;

import java.io.IOException;
import java.io.OutputStream;

import dev.capuchin.core.spi.BodyTooLargeException;
import dev.capuchin.core.spi.Exchange;
import io.netty.buffer.ByteBufUtil;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * Feeds the request body to a script's stdin on the executor, four buffers ahead at most,
 * so that the body is read from the client only as fast as the script takes it. A script
 * that stops reading does not stop the body: the rest is read and dropped, so that the
 * connection stays usable. A body past the limit, or a client that goes away, kills the
 * script's process group.
 */
final class StdinFeeder {

	private volatile boolean broken;

	private volatile boolean tooLarge;

	private final Disposable feeding;

	/**
	 * Start feeding.
	 * @param exchange the request
	 * @param started the script
	 * @param scheduler where the writes run
	 * @param clientGone called when the body failed for another reason than its size
	 */
	StdinFeeder(Exchange exchange, ScriptProcess started, Scheduler scheduler, Runnable clientGone) {
		OutputStream out = started.process().getOutputStream();
		this.feeding = exchange.receiveBody().map(ByteBufUtil::getBytes).publishOn(scheduler, 4).subscribe((bytes) -> {
			if (this.broken) {
				return;
			}
			try {
				out.write(bytes);
			}
			catch (IOException ex) {
				// the script closed its stdin or exited: the rest of the body is
				// read and dropped, so that the connection stays usable
				this.broken = true;
			}
		}, (ex) -> {
			if (ex instanceof BodyTooLargeException) {
				this.tooLarge = true;
			}
			else {
				clientGone.run();
			}
			started.killGroup();
		}, started::closeQuietly);
	}

	/**
	 * Whether the body went past the request's limit.
	 * @return whether it did
	 */
	boolean tooLarge() {
		return this.tooLarge;
	}

	/** Stop reading the body. */
	void stop() {
		this.feeding.dispose();
	}

}
