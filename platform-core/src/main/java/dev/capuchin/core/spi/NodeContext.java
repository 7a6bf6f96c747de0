package dev.capuchin.core.spi;

import java.net.InetSocketAddress;
import java.util.List;

import reactor.netty.resources.LoopResources;

/**
 * What the kernel tells a plugin about its node when the plugin
 * {@link Plugin#start(NodeContext) starts}.
 */
public interface NodeContext {

	/**
	 * The node's id ({@code capuchin.node.id}; by default the host name and a short
	 * random suffix), as in a proxy's {@code Via} header.
	 * @return the id
	 */
	String nodeId();

	/**
	 * The addresses this node's listeners are bound to, as they are now: empty until the
	 * listeners are bound (plugins start before that), complete once the server runs.
	 * @return the bound addresses
	 */
	List<InetSocketAddress> listeners();

	/**
	 * Loop resources for clients that run on the server's worker loops: a client
	 * connection opened from a worker stays on that worker, so a proxied exchange never
	 * changes threads, and connections opened elsewhere are spread over the workers
	 * without touching the workers' connection counts. Nothing is created or disposed
	 * through them; the kernel owns the loops.
	 * @return the loop resources, valid while the server runs
	 */
	LoopResources clientLoops();

	/**
	 * Whether clients on {@link #clientLoops()} should use the native transport (the one
	 * the workers run).
	 * @return {@code true} for epoll or io_uring
	 */
	boolean nativeTransport();

}
