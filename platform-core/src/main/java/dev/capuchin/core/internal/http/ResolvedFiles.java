package dev.capuchin.core.internal.http;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

import dev.capuchin.core.spi.Site;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * What the request paths of a worker's sites resolved to, trusted for a short time, so
 * that a popular file costs no {@code stat(2)}, no walk of its path and no formatting of
 * its validators on every request (nginx's {@code open_file_cache_valid}, lighttpd's stat
 * cache). Only paths that resolved to a file that may be served are kept; refusals and
 * redirects are decided afresh each time.
 * <p>
 * One cache per worker thread, used only by it: no locks. Entries are per {@link Site}
 * object, so a new site table (a changed document root, index or policy) never sees an
 * old site's entries. Bounded: when full, the cache starts over.
 */
final class ResolvedFiles {

	/** The most paths remembered per worker. */
	static final int MAX_ENTRIES = 4096;

	private static final FastThreadLocal<ResolvedFiles> WORKER = new FastThreadLocal<>() {

		@Override
		protected ResolvedFiles initialValue() {
			return new ResolvedFiles();
		}

	};

	private final Map<Site, Map<String, FileInfo>> sites = new IdentityHashMap<>();

	private int entries;

	/**
	 * The cache of the calling worker thread.
	 * @return the cache
	 */
	static ResolvedFiles ofThisThread() {
		return WORKER.get();
	}

	/**
	 * What a path of a site resolved to, if that was found out less than
	 * {@code validNanos} ago.
	 * @param site the site
	 * @param path the normalized request path
	 * @param validNanos how long an entry is trusted
	 * @return the file, or {@code null} when it must be resolved again
	 */
	FileInfo get(Site site, String path, long validNanos) {
		Map<String, FileInfo> paths = this.sites.get(site);
		FileInfo info = (paths != null) ? paths.get(path) : null;
		if (info == null) {
			return null;
		}
		if (System.nanoTime() - info.checkedNanos() >= validNanos) {
			remove(site, path);
			return null;
		}
		return info;
	}

	/**
	 * Forget what a path of a site resolved to.
	 * @param site the site
	 * @param path the normalized request path
	 */
	void remove(Site site, String path) {
		Map<String, FileInfo> paths = this.sites.get(site);
		if (paths != null && paths.remove(path) != null) {
			this.entries--;
		}
	}

	/**
	 * Remember what a path of a site resolved to.
	 * @param site the site
	 * @param path the normalized request path
	 * @param info the file it resolved to
	 */
	void put(Site site, String path, FileInfo info) {
		if (this.entries >= MAX_ENTRIES) {
			this.sites.clear();
			this.entries = 0;
		}
		if (this.sites.computeIfAbsent(site, (key) -> new HashMap<>()).put(path, info) == null) {
			this.entries++;
		}
	}

}
