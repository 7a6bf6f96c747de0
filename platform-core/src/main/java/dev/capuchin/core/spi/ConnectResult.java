package dev.capuchin.core.spi;

/**
 * What a plugin decided at {@link Stage#CONNECT}.
 */
public enum ConnectResult {

	/** Accept the connection: go on to the next CONNECT plugin, then read requests. */
	CONTINUE,

	/** Close the connection now, before a byte of it is read. */
	CLOSE

}
