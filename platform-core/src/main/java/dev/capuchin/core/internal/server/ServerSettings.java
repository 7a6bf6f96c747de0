package dev.capuchin.core.internal.server;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import dev.capuchin.core.internal.fdt.FdtSettings;
import dev.capuchin.core.internal.tls.TlsSettings;
import dev.capuchin.core.internal.worker.Balancing;

/**
 * Everything the kernel needs to start, apart from sites and plugins.
 *
 * @param listeners the listening sockets
 * @param workers the number of worker event loops
 * @param transport {@code auto}, {@code epoll}, {@code io-uring} or {@code nio}
 * @param balancing how connections are spread over workers
 * @param limits connection and request limits
 * @param fdt the open-file table settings
 * @param shutdownTimeout how long in-flight requests may take to finish at shutdown
 * @param tls the TLS engine, session tickets and certificate reloads of every TLS
 * listener
 */
public record ServerSettings(List<ListenerSettings> listeners, int workers, String transport, Balancing balancing,
		Limits limits, FdtSettings fdt, Duration shutdownTimeout, TlsSettings tls) {

	/** Default time in-flight requests get at shutdown, in seconds. */
	public static final int DEFAULT_SHUTDOWN_TIMEOUT_SECONDS = 10;

	/** Default time in-flight requests get at shutdown. */
	public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(DEFAULT_SHUTDOWN_TIMEOUT_SECONDS);

	/** Default transport: epoll where available, else NIO. */
	public static final String DEFAULT_TRANSPORT = "auto";

	public ServerSettings {
		listeners = List.copyOf(listeners);
		if (listeners.isEmpty()) {
			throw new IllegalArgumentException("capuchin.server.listeners: none (expected: at least one)");
		}
		if (workers < 1) {
			throw new IllegalArgumentException("capuchin.server.workers: " + workers + " (expected: > 0)");
		}
		Objects.requireNonNull(transport, "transport");
		Objects.requireNonNull(balancing, "balancing");
		Objects.requireNonNull(limits, "limits");
		Objects.requireNonNull(fdt, "fdt");
		Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
		Objects.requireNonNull(tls, "tls");
	}

	/**
	 * Settings with the default TLS settings.
	 * @param listeners the listening sockets
	 * @param workers the number of worker event loops
	 * @param transport the transport name
	 * @param balancing how connections are spread over workers
	 * @param limits connection and request limits
	 * @param fdt the open-file table settings
	 * @param shutdownTimeout how long in-flight requests may take at shutdown
	 */
	public ServerSettings(List<ListenerSettings> listeners, int workers, String transport, Balancing balancing,
			Limits limits, FdtSettings fdt, Duration shutdownTimeout) {
		this(listeners, workers, transport, balancing, limits, fdt, shutdownTimeout, TlsSettings.DEFAULTS);
	}

	/**
	 * A copy with other TLS settings.
	 * @param other the TLS settings
	 * @return the copy
	 */
	public ServerSettings withTls(TlsSettings other) {
		return new ServerSettings(this.listeners, this.workers, this.transport, this.balancing, this.limits, this.fdt,
				this.shutdownTimeout, other);
	}

	/**
	 * Settings with defaults for everything but the listeners and worker count.
	 * @param listeners the listeners
	 * @param workers the worker count
	 * @return the settings
	 */
	public static ServerSettings of(List<ListenerSettings> listeners, int workers) {
		return new ServerSettings(listeners, workers, DEFAULT_TRANSPORT, Balancing.DEFAULT, Limits.DEFAULTS,
				FdtSettings.DEFAULTS, DEFAULT_SHUTDOWN_TIMEOUT);
	}

	/**
	 * A copy with another transport.
	 * @param name the transport name
	 * @return the copy
	 */
	public ServerSettings withTransport(String name) {
		return new ServerSettings(this.listeners, this.workers, name, this.balancing, this.limits, this.fdt,
				this.shutdownTimeout, this.tls);
	}

	/**
	 * A copy with other limits.
	 * @param other the limits
	 * @return the copy
	 */
	public ServerSettings withLimits(Limits other) {
		return new ServerSettings(this.listeners, this.workers, this.transport, this.balancing, other, this.fdt,
				this.shutdownTimeout, this.tls);
	}

	/**
	 * A copy with another balancing mode.
	 * @param mode the mode
	 * @return the copy
	 */
	public ServerSettings withBalancing(Balancing mode) {
		return new ServerSettings(this.listeners, this.workers, this.transport, mode, this.limits, this.fdt,
				this.shutdownTimeout, this.tls);
	}

	/**
	 * A copy with another shutdown timeout.
	 * @param timeout the timeout
	 * @return the copy
	 */
	public ServerSettings withShutdownTimeout(Duration timeout) {
		return new ServerSettings(this.listeners, this.workers, this.transport, this.balancing, this.limits, this.fdt,
				timeout, this.tls);
	}

	/**
	 * A copy with another open-file table policy.
	 * @param other the open-file table settings
	 * @return the copy
	 */
	public ServerSettings withFdt(FdtSettings other) {
		return new ServerSettings(this.listeners, this.workers, this.transport, this.balancing, this.limits, other,
				this.shutdownTimeout, this.tls);
	}

}
