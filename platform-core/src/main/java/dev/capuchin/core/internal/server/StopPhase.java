package dev.capuchin.core.internal.server;

/**
 * The phases of {@link CapuchinServer#stop()}, in the order they run. The order is what
 * lets both ends of a request be released cleanly: a plugin's outgoing connections close
 * while the loops they live on still run, and what the last LOG and CLOSE events write to
 * stays open until the loops have run them. The {@link dev.capuchin.core.spi.Plugin}
 * Javadoc says the same to plugin authors.
 */
public enum StopPhase {

	/** Every listener closes: new connections are refused from here on. */
	STOP_ACCEPTING,

	/**
	 * Requests in flight finish, for up to the shutdown timeout shared by all listeners.
	 */
	FINISH_REQUESTS,

	/**
	 * Plugins release what lives on the worker loops (pooled outgoing connections,
	 * scripts still running), while the loops still run.
	 */
	DRAIN_PLUGINS,

	/**
	 * The worker loops run their last tasks (the last LOG and CLOSE events, the closes
	 * asked for while draining) and end.
	 */
	STOP_LOOPS,

	/** Plugins close what the last events needed, such as log files. */
	STOP_PLUGINS

}
