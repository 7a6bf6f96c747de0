package dev.capuchin.core.internal.site;

import dev.capuchin.core.spi.Site;
import dev.capuchin.core.spi.Location;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a {@link Site} back into the keys of a site file, so that what {@link SiteLoader}
 * reads and what this writes round-trip: the form of exports and of the store.
 */
public final class SiteWriter {

	private SiteWriter() {
	}

	/**
	 * The site-file keys of a site, in the documented order, plugin blocks last.
	 * @param site the site
	 * @return an ordered, mutable map
	 */
	public static Map<String, Object> toMap(Site site) {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("name", site.name());
		map.put("server-names", new ArrayList<>(site.serverNames()));
		map.put("default", site.isDefault());
		if (site.listen() != null) {
			map.put("listen", address(site));
		}
		map.put("document-root", site.documentRoot().toString());
		map.put("index-files", new ArrayList<>(site.indexFiles()));
		if (!site.errorPages().isEmpty()) {
			Map<Integer, String> pages = new LinkedHashMap<>();
			site.errorPages()
				.entrySet()
				.stream()
				.sorted(Map.Entry.comparingByKey())
				.forEach((entry) -> pages.put(entry.getKey(), entry.getValue()));
			map.put("error-pages", pages);
		}
		map.put("fdt", site.fdt());
		map.put("follow-symlinks", site.followSymlinks());
		map.put("hidden-files", site.hiddenFiles());
		map.put("precompressed", site.precompressed());
		if (site.tls() != null) {
			Map<String, Object> tls = new LinkedHashMap<>();
			if (site.tls().acme()) {
				tls.put("acme", true);
			}
			else {
				tls.put("certificate", site.tls().certificate().toString());
				tls.put("private-key", site.tls().privateKey().toString());
			}
			map.put("tls", tls);
		}
		if (site.hsts() != null) {
			Map<String, Object> hsts = new LinkedHashMap<>();
			hsts.put("max-age", site.hsts().maxAge());
			hsts.put("include-subdomains", site.hsts().includeSubdomains());
			hsts.put("preload", site.hsts().preload());
			map.put("hsts", hsts);
		}
		if (site.redirectHttps()) {
			map.put("redirect-https", true);
		}
		if (!site.headers().isEmpty()) {
			Map<String, Object> headers = new LinkedHashMap<>();
			if (!site.headers().add().isEmpty()) {
				headers.put("add", new LinkedHashMap<>(site.headers().add()));
			}
			if (!site.headers().remove().isEmpty()) {
				headers.put("remove", new ArrayList<>(site.headers().remove()));
			}
			map.put("headers", headers);
		}
		if (!site.locations().isEmpty()) {
			List<Map<String, Object>> locations = new ArrayList<>();
			for (Location location : site.locations()) {
				locations.add(toMap(location));
			}
			map.put("locations", locations);
		}
		map.putAll(new TreeMap<>(site.settings()));
		return map;
	}

	/**
	 * The site-file keys of a location.
	 * @param location the location
	 * @return an ordered, mutable map
	 */
	public static Map<String, Object> toMap(Location location) {
		Map<String, Object> map = new LinkedHashMap<>();
		if (location.path() != null) {
			map.put("path", location.path());
		}
		else {
			map.put("match", location.match().pattern());
		}
		map.putAll(new TreeMap<>(location.settings()));
		return map;
	}

	private static String address(Site site) {
		String host = site.listen().getAddress().getHostAddress();
		if (host.contains(":")) {
			host = "[" + host + "]";
		}
		return host + ":" + site.listen().getPort();
	}

}
