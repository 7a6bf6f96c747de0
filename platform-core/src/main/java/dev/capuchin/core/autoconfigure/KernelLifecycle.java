package dev.capuchin.core.autoconfigure;

import dev.capuchin.core.internal.server.CapuchinServer;

import org.springframework.context.SmartLifecycle;

/**
 * Starts the data plane with the application context and stops it gracefully with it:
 * after the web server's own graceful phase, so the control listener stays up while
 * requests drain.
 */
public final class KernelLifecycle implements SmartLifecycle {

	/** Start late and stop early relative to ordinary beans. */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 2048;

	private final CapuchinServer server;

	KernelLifecycle(CapuchinServer server) {
		this.server = server;
	}

	@Override
	public void start() {
		this.server.start();
	}

	@Override
	public void stop() {
		this.server.stop();
	}

	@Override
	public boolean isRunning() {
		return this.server.isRunning();
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
