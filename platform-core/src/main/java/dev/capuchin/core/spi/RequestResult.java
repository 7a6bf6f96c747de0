package dev.capuchin.core.spi;

import reactor.core.publisher.Mono;

/**
 * What a plugin decided at {@link Stage#REQUEST}. There is no way to decline here: a
 * REQUEST plugin either lets the request go on to the next plugin, or ends it, so a
 * plugin ordered before another (an authentication check) can never make it be skipped.
 */
public enum RequestResult {

	/** Go on to the next REQUEST plugin, and then to {@link Stage#HANDLE}. */
	CONTINUE,

	/**
	 * The plugin has answered the request (401, 403, a redirect); later plugins and
	 * stages of this request are skipped, apart from {@link Stage#LOG}.
	 */
	DONE,

	/** Close the connection now, without an answer to this request. */
	CLOSE;

	private final Mono<RequestResult> mono = Mono.just(this);

	/**
	 * This result as a completed {@link Mono}, shared.
	 * @return the result, completed
	 */
	public Mono<RequestResult> mono() {
		return this.mono;
	}

}
