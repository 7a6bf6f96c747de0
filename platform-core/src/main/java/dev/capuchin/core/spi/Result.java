package dev.capuchin.core.spi;

/**
 * What a plugin decided at a stage.
 */
public enum Result {

	/** Go on to the next plugin, and then to the next stage. */
	CONTINUE,

	/**
	 * The plugin has produced the response; later plugins and stages of this request are
	 * skipped.
	 */
	DONE,

	/** Close the connection now (at {@link Stage#CONNECT}: before a byte is read). */
	CLOSE,

	/**
	 * At {@link Stage#HANDLE}: not this plugin's request; offer it to the next handler.
	 */
	DECLINE

}
