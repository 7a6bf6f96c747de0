package dev.capuchin.app.cache;

import java.util.List;

import dev.capuchin.app.audit.AuditAction;
import dev.capuchin.app.audit.AuditLog;
import dev.capuchin.plugin.proxy.CacheZoneState;
import dev.capuchin.plugin.proxy.ProxyPlugin;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;

/**
 * The cache zones of the running proxy plugin and their purges, shared by the API and the
 * console: a purge removes one URL ({@code scheme://host/target}), the URLs under a
 * prefix, or the whole zone, on this node at once and on the others through the store
 * ({@link StoredCachePurges}), and is audited.
 */
class CachePurges {

	private final ObjectProvider<ProxyPlugin> plugin;

	private final AuditLog audit;

	private final StoredCachePurges stored;

	CachePurges(ObjectProvider<ProxyPlugin> plugin, AuditLog audit, StoredCachePurges stored) {
		this.plugin = plugin;
		this.audit = audit;
		this.stored = stored;
	}

	boolean running() {
		return this.plugin.getIfAvailable() != null;
	}

	List<CacheZoneState> zones() {
		ProxyPlugin proxy = this.plugin.getIfAvailable();
		return (proxy != null) ? proxy.cacheZones() : List.of();
	}

	/**
	 * Purge a zone's entries.
	 * @return the entries removed, or -1 when there is no such zone here
	 * @throws IllegalArgumentException when both url and prefix are given
	 */
	int purge(String zone, @Nullable String url, @Nullable String prefix, String actor) {
		if (url != null && prefix != null) {
			throw new IllegalArgumentException("url and prefix: give one of them, or neither");
		}
		ProxyPlugin proxy = this.plugin.getIfAvailable();
		StoredCachePurges.Purge purge = new StoredCachePurges.Purge(zone, url, prefix);
		int removed = (proxy != null) ? proxy.purge(zone, purge.matches()) : -1;
		if (removed >= 0) {
			boolean shared = this.stored.store(purge);
			this.audit.record(actor, AuditAction.REMOVED, "cache " + zone, what(url, prefix),
					removed + " entries" + (shared ? "" : " (this node only: the store refused it)"));
		}
		return removed;
	}

	static String what(@Nullable String url, @Nullable String prefix) {
		return (url != null) ? "url " + url : (prefix != null) ? "prefix " + prefix : "every entry";
	}

}
