package dev.capuchin.core.spi;

import java.util.Set;

import reactor.core.publisher.Mono;

/**
 * A plugin of the data plane. The kernel calls a plugin only at the {@link #stages()
 * stages} it declares, in ascending {@link #order() order} among plugins of a stage. A
 * plugin's exception costs one request (a 500 and a log line) or, at
 * {@link Stage#CONNECT}, one connection; it never costs a worker.
 * <p>
 * Plugins run on event loops: they must not block. Work that blocks (hashing, file walks,
 * process spawns) goes to a bounded scheduler, and the returned {@link Mono} completes
 * when it is done.
 */
public interface Plugin {

	/** A completed {@link Result#CONTINUE}. */
	Mono<Result> CONTINUE = Mono.just(Result.CONTINUE);

	/** A completed {@link Result#DECLINE}. */
	Mono<Result> DECLINE = Mono.just(Result.DECLINE);

	/** A completed {@link Result#DONE}. */
	Mono<Result> DONE = Mono.just(Result.DONE);

	/**
	 * The plugin's name, as in {@code capuchin.plugins.<name>} and in log lines.
	 * @return the name
	 */
	String name();

	/**
	 * The stages this plugin takes part in.
	 * @return the stages
	 */
	Set<Stage> stages();

	/**
	 * The plugin's position among the plugins of a stage; lower runs first.
	 * @return the order
	 */
	default int order() {
		return 0;
	}

	/**
	 * Check and compile this plugin's settings in a new site table (site and location
	 * blocks) before the table goes live. The returned state travels with the table, and
	 * requests read it with {@link Exchange#state(Plugin)}: a request always sees the
	 * sites and the plugin's state of one snapshot.
	 * @param sites the candidate table
	 * @return the plugin's state for this table, or {@code null}
	 * @throws IllegalArgumentException naming the site and field when a setting is
	 * invalid; the table is then refused and the running one stays
	 */
	default Object prepare(SiteTable sites) {
		return null;
	}

	/**
	 * Called once when the server starts, before the first connection.
	 */
	default void start() {
	}

	/**
	 * Called once when the server has stopped.
	 */
	default void stop() {
	}

	/**
	 * Stage {@link Stage#CONNECT}: a connection was accepted.
	 * @param connection the connection
	 * @return {@link Result#CONTINUE} or {@link Result#CLOSE}
	 */
	default Result onConnect(ClientConnection connection) {
		return Result.CONTINUE;
	}

	/**
	 * Stage {@link Stage#REQUEST}: headers are parsed and the site is known.
	 * @param exchange the request
	 * @return {@link Result#CONTINUE}, {@link Result#DONE} after responding, or
	 * {@link Result#CLOSE}
	 */
	default Mono<Result> onRequest(Exchange exchange) {
		return CONTINUE;
	}

	/**
	 * Stage {@link Stage#HANDLE}: produce the response, or decline.
	 * @param exchange the request
	 * @return {@link Result#DONE} once the response is sent, or {@link Result#DECLINE}
	 */
	default Mono<Result> handle(Exchange exchange) {
		return DECLINE;
	}

	/**
	 * Stage {@link Stage#LOG}: the response is complete.
	 * @param exchange the finished exchange
	 * @param status the response status
	 * @param durationNanos the time from request to the end of the response
	 */
	default void onLog(Exchange exchange, int status, long durationNanos) {
	}

	/**
	 * Stage {@link Stage#LOG}: whether this plugin must see an {@link Exchange} for every
	 * request. While no plugin runs at {@link Stage#REQUEST} or {@link Stage#HANDLE} and
	 * every LOG plugin answers {@code false}, the kernel answers a plain {@code GET} or
	 * {@code HEAD} of a file it resolved recently on its direct path, which builds no
	 * exchange, and reports it with {@link #onDirectAnswer(Site, int, long)} instead of
	 * {@link #onLog(Exchange, int, long)}. Every other request still reaches
	 * {@code onLog}.
	 * @return {@code true} (the default) to see every request as an exchange
	 */
	default boolean needsEveryExchange() {
		return true;
	}

	/**
	 * Stage {@link Stage#LOG}, for a plugin whose {@link #needsEveryExchange()} is
	 * {@code false}: the kernel answered a request on its direct path. Called on the
	 * worker thread once the response is written to the connection.
	 * @param site the site that answered
	 * @param status the response status
	 * @param bytes the body bytes sent
	 */
	default void onDirectAnswer(Site site, int status, long bytes) {
	}

	/**
	 * Stage {@link Stage#CLOSE}: the connection closed.
	 * @param connection the connection
	 */
	default void onClose(ClientConnection connection) {
	}

}
