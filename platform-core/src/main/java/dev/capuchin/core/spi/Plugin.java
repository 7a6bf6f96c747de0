package dev.capuchin.core.spi;

import java.util.Set;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * A plugin of the data plane. The kernel calls a plugin only at the {@link #stages()
 * stages} it declares, in ascending {@link #order() order} among plugins of a stage.
 * <p>
 * Plugins run on event loops: they must not block. Work that blocks (hashing, file walks,
 * process spawns) goes to a bounded scheduler, and the returned {@link Mono} completes
 * when it is done.
 * <h2>Contract</h2> Each stage has its own result type ({@link ConnectResult},
 * {@link RequestResult}, {@link HandleResult}), so that a result that does not belong to
 * a stage cannot be expressed. What breaking the contract costs, per method:
 * <ul>
 * <li>{@link #prepare(SiteTable)}: an exception refuses the new site table; the running
 * one stays (at start-up, the server does not start).</li>
 * <li>{@link #start(NodeContext)} and {@link #start()}: an exception stops the start: the
 * plugins already started are stopped, nothing is bound, and the server refuses to start
 * with a message naming the plugin.</li>
 * <li>{@link #onConnect(ClientConnection)}: an exception or a {@code null} result costs
 * that connection: it is closed before a byte is read, with an error line naming the
 * plugin.</li>
 * <li>{@link #onRequest(Exchange)} and {@link #handle(Exchange)}: an exception (thrown or
 * signalled by the {@link Mono}), a {@code null} {@link Mono}, or a {@link Mono} that
 * completes without a result costs that request: it gets a 500 (or, when the response had
 * begun, its connection is closed), and one error line names the plugin and the results
 * expected. Later plugins of the stage do not run for it.</li>
 * <li>{@link #onLog(LogEvent)} and {@link #onClose(ClientConnection)}: an exception is
 * logged with the plugin's name; the other plugins of the stage still run, and the client
 * sees nothing.</li>
 * <li>{@link #drain()} and {@link #stop()}: an exception is logged; the other plugins
 * still drain and stop.</li>
 * </ul>
 * None of them ever costs a worker.
 * <h2>Stopping</h2> The server stops in phases, in this order:
 * <ol>
 * <li>it stops accepting: every listener closes, new connections are refused;</li>
 * <li>requests in flight finish, for up to the shutdown timeout
 * ({@code capuchin.server.shutdown-timeout});</li>
 * <li>{@link #drain()}: each plugin releases its outgoing connections (application
 * servers, proxied backends) and ends its remaining work, while the worker loops those
 * connections live on still run, so that a close it asks for happens;</li>
 * <li>the worker loops finish: the last requests' {@link Stage#LOG} events and the
 * connections' {@link Stage#CLOSE} events run, and the loops end;</li>
 * <li>{@link #stop()}: each plugin closes what those last events needed (a logger's
 * files), with no event left to come.</li>
 * </ol>
 * Plugins drain and stop in reverse order; both hooks do nothing by default, so a plugin
 * overrides only the one it needs.
 */
public interface Plugin {

	/** A completed {@link RequestResult#CONTINUE}, for {@link #onRequest(Exchange)}. */
	Mono<RequestResult> CONTINUE = RequestResult.CONTINUE.mono();

	/** A completed {@link HandleResult#DECLINE}, for {@link #handle(Exchange)}. */
	Mono<HandleResult> DECLINE = HandleResult.DECLINE.mono();

	/**
	 * The plugin's name, as in {@code capuchin.plugins.<name>} and in log lines.
	 * @return the name
	 */
	String name();

	/**
	 * The stages this plugin takes part in. Read once, when the server is created.
	 * @return the stages
	 */
	Set<Stage> stages();

	/**
	 * The plugin's position among the plugins of a stage; lower runs first. Read once,
	 * when the server is created.
	 * @return the order
	 */
	default int order() {
		return 0;
	}

	/**
	 * Check and compile this plugin's settings in a new site table (site and location
	 * blocks) before the table goes live. The returned state travels with the table, and
	 * requests read it with {@link Exchange#state(Plugin)} (or
	 * {@link LogEvent#state(Plugin)}): a request always sees the sites and the plugin's
	 * state of one snapshot. Called off the event loops; it may read files.
	 * @param sites the candidate table
	 * @return the plugin's state for this table, or {@code null} for none
	 * @throws IllegalArgumentException naming the site and field when a setting is
	 * invalid: the table is then refused and the running one stays; any other exception
	 * refuses the table too
	 */
	default @Nullable Object prepare(SiteTable sites) {
		return null;
	}

	/**
	 * Called once when the server starts, before the first connection, in plugin order.
	 * @throws RuntimeException when the plugin cannot run: the server then stops the
	 * plugins already started and refuses to start, with a message naming this plugin
	 */
	default void start() {
	}

	/**
	 * Called once when the server starts, before the first connection, in plugin order,
	 * with what the kernel tells plugins about the node. By default it calls
	 * {@link #start()}; a plugin that needs the node (its id, listeners, or client loops
	 * on the workers) overrides this one instead.
	 * @param node the node
	 * @throws RuntimeException when the plugin cannot run, as for {@link #start()}
	 */
	default void start(NodeContext node) {
		start();
	}

	/**
	 * Called once when the server stops, for a plugin whose {@link #start()} returned:
	 * after the listeners closed and the requests in flight finished (or the shutdown
	 * timeout passed), while the worker loops still run. A plugin releases here what
	 * lives on those loops (pooled connections to application servers or backends) and
	 * ends work that would otherwise keep a request open (a script still running). No new
	 * request reaches the plugin after this; {@link Stage#LOG} and {@link Stage#CLOSE}
	 * events still may. An exception is logged and the other plugins still drain.
	 */
	default void drain() {
	}

	/**
	 * Called once when the server has stopped, for a plugin whose {@link #start()}
	 * returned: after {@link #drain()} and after the worker loops ended, so that no event
	 * comes any more. A plugin closes here what its last events needed (files, threads of
	 * its own). An exception is logged and the other plugins still stop.
	 */
	default void stop() {
	}

	/**
	 * Stage {@link Stage#CONNECT}: a connection was accepted. Runs on the connection's
	 * event loop and returns at once.
	 * @param connection the connection
	 * @return {@link ConnectResult#CONTINUE} or {@link ConnectResult#CLOSE}; an exception
	 * or {@code null} closes the connection and logs an error naming the plugin
	 */
	default ConnectResult onConnect(ClientConnection connection) {
		return ConnectResult.CONTINUE;
	}

	/**
	 * Stage {@link Stage#REQUEST}: headers are parsed and the site is known.
	 * @param exchange the request
	 * @return a {@link Mono} of {@link RequestResult#CONTINUE},
	 * {@link RequestResult#DONE} once the plugin has answered, or
	 * {@link RequestResult#CLOSE}; an exception, a {@code null} {@link Mono} or one that
	 * completes empty is a 500 for this request and an error line naming the plugin
	 */
	default Mono<RequestResult> onRequest(Exchange exchange) {
		return CONTINUE;
	}

	/**
	 * Stage {@link Stage#HANDLE}: produce the response, or decline.
	 * @param exchange the request
	 * @return a {@link Mono} of {@link HandleResult#DONE} once the response is sent, or
	 * {@link HandleResult#DECLINE}; an exception, a {@code null} {@link Mono} or one that
	 * completes empty is a 500 for this request and an error line naming the plugin
	 */
	default Mono<HandleResult> handle(Exchange exchange) {
		return DECLINE;
	}

	/**
	 * Stage {@link Stage#LOG}: a request was answered, by the stages or by the kernel's
	 * direct path for plain files. Every LOG plugin receives one event per answered
	 * request, on the worker thread, once the response is written. The event is valid
	 * during the call only. An exception is logged and costs nothing else.
	 * @param event the answered request
	 */
	default void onLog(LogEvent event) {
	}

	/**
	 * Stage {@link Stage#CLOSE}: the connection closed. An exception is logged and costs
	 * nothing else.
	 * @param connection the connection
	 */
	default void onClose(ClientConnection connection) {
	}

	/**
	 * The plugin's live state for monitoring (the console, {@code /api/status} and
	 * {@code /actuator/capuchin} show it under the plugin), such as a proxy's upstreams
	 * or an application server's pool. Called off the event loops, at any time; it must
	 * be cheap and thread-safe.
	 * @return a value of records, lists, maps, strings and numbers that serialises to
	 * JSON, or {@code null} when the plugin has nothing to show
	 */
	default @Nullable Object status() {
		return null;
	}

}
