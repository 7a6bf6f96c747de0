package dev.capuchin.core.internal.tls;

/**
 * Where OCSP stapling of one certificate stands; each change is logged once.
 */
public enum OcspState {

	/** No answer asked for yet, or the first one is on its way: nothing is stapled. */
	WAITING,

	/** A verified, current answer is stapled to every handshake whose client asks. */
	STAPLING,

	/**
	 * The last refresh failed: the previous answer is still stapled until it expires, and
	 * the responder is asked again with a growing delay.
	 */
	RETRYING,

	/**
	 * No current answer (the responder failed before any answer, or the last one
	 * expired): nothing is stapled, and the responder is asked again with a growing
	 * delay.
	 */
	UNAVAILABLE

}
