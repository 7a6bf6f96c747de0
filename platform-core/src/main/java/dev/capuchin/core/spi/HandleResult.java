package dev.capuchin.core.spi;

import reactor.core.publisher.Mono;

/**
 * What a plugin decided at {@link Stage#HANDLE}.
 */
public enum HandleResult {

	/**
	 * The plugin has sent the response; later handlers and static files are skipped.
	 */
	DONE,

	/**
	 * Not this plugin's request: offer it to the next handler, and finally to the
	 * kernel's static files.
	 */
	DECLINE;

	private final Mono<HandleResult> mono = Mono.just(this);

	/**
	 * This result as a completed {@link Mono}, shared.
	 * @return the result, completed
	 */
	public Mono<HandleResult> mono() {
		return this.mono;
	}

}
