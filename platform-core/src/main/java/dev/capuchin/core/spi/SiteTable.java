package dev.capuchin.core.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * An immutable snapshot of every site, indexed for the data plane: a request's host and
 * the address it arrived on pick its site. The control plane builds a new table for each
 * change and swaps it in whole; requests in flight keep the table they started with.
 * <p>
 * Matching: sites bound to the address the request arrived on are the candidates, or,
 * when none is bound there, the unbound sites. Among the candidates an exact name wins,
 * then the longest {@code *.suffix} wildcard, then the candidates' default site.
 * <p>
 * A site that cannot be served — its document root is gone, or its certificate cannot be
 * read or is not PEM — stays in the table, so that its names still resolve to it rather
 * than to another site, and is listed in {@link #unavailable()} with the reason: the
 * kernel answers its requests with 503 and serves every other site. Availability is
 * checked when a table is built, so a root that comes back is served from the next table.
 */
public final class SiteTable {

	private final List<Site> sites;

	private final Group unbound;

	private final Map<InetSocketAddress, Group> bound;

	private final Map<String, Object> pluginStates;

	private final Map<String, String> unavailable;

	// the same reasons keyed by identity, for the per-request check
	private final Map<Site, String> unavailableSites;

	private SiteTable(List<Site> sites, Map<String, String> unavailable) {
		this.pluginStates = Map.of();
		this.sites = List.copyOf(sites);
		this.unavailable = Collections.unmodifiableMap(new LinkedHashMap<>(unavailable));
		Map<Site, String> bySite = new IdentityHashMap<>();
		for (Site site : sites) {
			String reason = unavailable.get(site.name());
			if (reason != null) {
				bySite.put(site, reason);
			}
		}
		this.unavailableSites = bySite;
		List<Site> free = new ArrayList<>();
		Map<InetSocketAddress, List<Site>> byAddress = new LinkedHashMap<>();
		for (Site site : sites) {
			if (site.listen() == null) {
				free.add(site);
			}
			else {
				byAddress.computeIfAbsent(site.listen(), (address) -> new ArrayList<>()).add(site);
			}
		}
		this.unbound = new Group(free);
		Map<InetSocketAddress, Group> groups = new HashMap<>();
		byAddress.forEach((address, members) -> groups.put(address, new Group(members)));
		this.bound = Map.copyOf(groups);
	}

	// the same sites with the plugins' states: the index and the reasons are shared
	private SiteTable(SiteTable table, Map<String, Object> pluginStates) {
		this.sites = table.sites;
		this.unbound = table.unbound;
		this.bound = table.bound;
		this.unavailable = table.unavailable;
		this.unavailableSites = table.unavailableSites;
		this.pluginStates = Map.copyOf(pluginStates);
	}

	/**
	 * Build a table, refusing a set of sites that cannot be served unambiguously. Each
	 * site's document root and certificate files are checked on the file system here, so
	 * build tables off the event loops.
	 * @param sites the sites
	 * @return the table
	 * @throws IllegalArgumentException naming the site and field at fault
	 */
	public static SiteTable of(List<Site> sites) {
		Objects.requireNonNull(sites, "sites");
		if (sites.isEmpty()) {
			throw new IllegalArgumentException("sites: none configured (expected: at least one site)");
		}
		Map<String, String> names = new HashMap<>();
		Map<String, String> owners = new HashMap<>();
		// one default per address, and one among the unbound sites (key null)
		Map<InetSocketAddress, String> defaults = new HashMap<>();
		for (Site site : sites) {
			if (names.put(site.name(), site.name()) != null) {
				throw new IllegalArgumentException("site " + site.name() + ": name: duplicate site name");
			}
			if (site.isDefault()) {
				String other = defaults.putIfAbsent(site.listen(), site.name());
				if (other != null) {
					throw new IllegalArgumentException(
							"site " + site.name() + ": default: site " + other + " is the default already");
				}
			}
			for (String serverName : site.serverNames()) {
				String key = site.listen() + "|" + serverName;
				String other = owners.put(key, site.name());
				if (other != null) {
					throw new IllegalArgumentException("site " + site.name() + ": server-names: '" + serverName
							+ "' is already served by site " + other);
				}
			}
		}
		Map<String, String> unavailable = new LinkedHashMap<>();
		for (Site site : sites) {
			String reason = unavailabilityReason(site);
			if (reason != null) {
				unavailable.put(site.name(), reason);
			}
		}
		return new SiteTable(sites, unavailable);
	}

	/**
	 * Why a site cannot be served now, checked on the file system.
	 * @param site the site
	 * @return the reason, naming the field, or {@code null} when it can be served
	 */
	static String unavailabilityReason(Site site) {
		if (!Files.isDirectory(site.documentRoot())) {
			return "document-root: " + site.documentRoot() + " (expected: an existing directory)";
		}
		if (site.tls() == null || site.tls().acme()) {
			// an ACME site is served before its certificate is issued: plain HTTP answers
			// the CA's challenge, TLS shakes hands with the listener's certificate
			return null;
		}
		// reading the files is the check; only a failure asks whether one is unreadable,
		// which is the reason to give then
		String problem = pemProblem(site.tls());
		if (problem == null) {
			return null;
		}
		String unreadable = site.tls().problem("tls");
		return (unreadable != null) ? unreadable : problem;
	}

	/**
	 * Whether the certificate files hold what TLS needs (a file that cannot be read does
	 * not): a file that is there but not PEM would fail only when a client names the
	 * site, with a failed handshake.
	 */
	private static String pemProblem(TlsCertificate tls) {
		try (InputStream in = Files.newInputStream(tls.certificate())) {
			if (CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
				return "tls.certificate: " + tls.certificate() + " (expected: a PEM certificate chain)";
			}
		}
		catch (IOException | CertificateException ex) {
			return "tls.certificate: " + tls.certificate() + " (expected: a PEM certificate chain)";
		}
		try {
			String key = Files.readString(tls.privateKey(), StandardCharsets.US_ASCII);
			if (!key.contains("-----BEGIN ") || !key.contains("PRIVATE KEY-----")) {
				return "tls.private-key: " + tls.privateKey() + " (expected: a PEM private key)";
			}
		}
		catch (IOException | UncheckedIOException ex) {
			return "tls.private-key: " + tls.privateKey() + " (expected: a PEM private key)";
		}
		return null;
	}

	/**
	 * An empty-safe table with one site.
	 * @param site the only site
	 * @return the table
	 */
	public static SiteTable of(Site site) {
		return of(List.of(site));
	}

	/**
	 * The site for a request.
	 * @param host the request's host (from the {@code Host} header or the absolute URI),
	 * with or without a port, or {@code null}
	 * @param local the local address the connection arrived on
	 * @param listener the configured address of the listener that accepted it
	 * @return the site; never {@code null}
	 */
	public Site resolve(@Nullable String host, @Nullable InetSocketAddress local,
			@Nullable InetSocketAddress listener) {
		Group group = this.bound.isEmpty() ? this.unbound : groupFor(local, listener);
		Site site = group.match(host);
		return (site != null) ? site : this.sites.get(0);
	}

	private Group groupFor(InetSocketAddress local, InetSocketAddress listener) {
		Group group = (local != null) ? this.bound.get(local) : null;
		if (group == null && listener != null) {
			group = this.bound.get(listener);
		}
		return (group != null) ? group : this.unbound;
	}

	/**
	 * A copy of this table that carries what each plugin prepared from it, so that a
	 * request sees the sites and the plugins' view of them from one snapshot.
	 * @param states the prepared state by plugin name
	 * @return the copy
	 */
	public SiteTable withPluginStates(Map<String, Object> states) {
		return new SiteTable(this, states);
	}

	/**
	 * What a plugin prepared from this table.
	 * @param plugin the plugin's name
	 * @param <T> the state's type
	 * @return the state, or {@code null}
	 */
	@SuppressWarnings("unchecked")
	public <T> @Nullable T pluginState(String plugin) {
		return (T) this.pluginStates.get(plugin);
	}

	/**
	 * Every site, in configuration order.
	 * @return the sites
	 */
	public List<Site> sites() {
		return this.sites;
	}

	/**
	 * The sites that cannot be served, with the reason of each, in configuration order.
	 * Their requests are answered with 503.
	 * @return site name to reason; empty when every site can be served
	 */
	public Map<String, String> unavailable() {
		return this.unavailable;
	}

	/**
	 * Why a site of this table cannot be served.
	 * @param site a site of this table, as {@link #resolve} returned it
	 * @return the reason, or {@code null} when it can be served
	 */
	public String unavailableReason(Site site) {
		// empty for nearly every table: no hashing on the hot path then
		return this.unavailableSites.isEmpty() ? null : this.unavailableSites.get(site);
	}

	/**
	 * The site with a given name.
	 * @param name the site's name
	 * @return the site, or {@code null}
	 */
	public @Nullable Site site(String name) {
		for (Site site : this.sites) {
			if (site.name().equals(name)) {
				return site;
			}
		}
		return null;
	}

	/**
	 * Strip the port and any trailing dot from a host and lower-case it.
	 * @param host a host header value
	 * @return the bare host name, or {@code ""} for none
	 */
	static String normalizeHost(String host) {
		if (host == null || host.isEmpty()) {
			return "";
		}
		int end = host.length();
		if (host.charAt(0) == '[') {
			int close = host.indexOf(']');
			end = (close > 0) ? close + 1 : end;
		}
		else {
			int colon = host.lastIndexOf(':');
			end = (colon >= 0) ? colon : end;
		}
		if (end > 0 && host.charAt(end - 1) == '.') {
			end--;
		}
		String bare = (end == host.length()) ? host : host.substring(0, end);
		for (int i = 0; i < bare.length(); i++) {
			char c = bare.charAt(i);
			if (c >= 'A' && c <= 'Z') {
				return bare.toLowerCase(Locale.ROOT);
			}
		}
		return bare;
	}

	/** The sites that compete for one address. */
	private static final class Group {

		private final Map<String, Site> exact = new HashMap<>();

		private final List<Map.Entry<String, Site>> wildcards = new ArrayList<>();

		private final Site fallback;

		Group(List<Site> members) {
			Site chosen = null;
			for (Site site : members) {
				for (String name : site.serverNames()) {
					if (name.startsWith("*.")) {
						this.wildcards.add(Map.entry(name.substring(1), site));
					}
					else {
						this.exact.put(name, site);
					}
				}
				if (site.isDefault() && chosen == null) {
					chosen = site;
				}
			}
			this.wildcards.sort((a, b) -> Integer.compare(b.getKey().length(), a.getKey().length()));
			this.fallback = (chosen != null) ? chosen : (members.isEmpty() ? null : members.get(0));
		}

		Site match(String host) {
			String name = normalizeHost(host);
			Site site = this.exact.get(name);
			if (site != null) {
				return site;
			}
			for (Map.Entry<String, Site> wildcard : this.wildcards) {
				if (name.endsWith(wildcard.getKey()) && name.length() > wildcard.getKey().length()) {
					return wildcard.getValue();
				}
			}
			return this.fallback;
		}

	}

}
