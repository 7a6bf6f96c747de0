package dev.capuchin.plugin.proxy.internal.cache;

import io.netty.handler.codec.http.HttpMethod;
import org.jspecify.annotations.Nullable;

/**
 * A cached request's state through the proxy: what the cache found, what it asked of the
 * server, and what it is to do with the answer. Created by {@link ProxyCache} and handed
 * back to its hooks by the proxy.
 */
public final class Lookup {

	final @Nullable CacheZone zone;

	final CacheRule rule;

	final String url;

	final String extras;

	final HttpMethod method;

	@Nullable CacheEntry stale;

	boolean conditional;

	boolean store = true;

	boolean invalidate;

	boolean collapsed;

	boolean background;

	String forward = "miss";

	long requestTime;

	@Nullable Runnable landing;

	Lookup(@Nullable CacheZone zone, CacheRule rule, String url, String extras, HttpMethod method) {
		this.zone = zone;
		this.rule = rule;
		this.url = url;
		this.extras = extras;
		this.method = method;
	}

	/** Release the requests waiting for this one's answer (once). */
	void land() {
		Runnable land = this.landing;
		if (land != null) {
			this.landing = null;
			land.run();
		}
	}

	/**
	 * The zone's largest entry, for a refresh's bounded read.
	 * @return bytes
	 */
	public long maxEntrySize() {
		return (this.zone != null) ? this.zone.settings().maxEntrySize() : 0;
	}

}
