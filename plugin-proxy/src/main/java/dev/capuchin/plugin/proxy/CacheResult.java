package dev.capuchin.plugin.proxy;

import java.util.Locale;

/**
 * What the cache did for one request of a cached location (the metrics' {@code result}).
 */
public enum CacheResult {

	/** Answered from a fresh entry without going upstream. */
	HIT,

	/**
	 * Answered from a stale entry (while it is refreshed, or because every server
	 * failed).
	 */
	STALE,

	/** A stale entry was revalidated upstream and answered from (the server said 304). */
	REVALIDATED,

	/** Nothing usable was stored: the request went upstream. */
	MISS,

	/** Waited for a concurrent request's response and answered from what it stored. */
	COLLAPSED,

	/**
	 * Not a request the cache answers (method, client's {@code no-store}): went upstream.
	 */
	BYPASS;

	/**
	 * The result's name in metrics: lower case.
	 * @return the key
	 */
	public String key() {
		return name().toLowerCase(Locale.ROOT);
	}

}
