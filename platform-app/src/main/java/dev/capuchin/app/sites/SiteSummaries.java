package dev.capuchin.app.sites;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import dev.capuchin.app.openidlogins.OpenIdLoginReferences;
import dev.capuchin.app.realms.RealmReferences;
import dev.capuchin.app.rules.AccessRules;
import dev.capuchin.core.internal.server.CapuchinServer;
import dev.capuchin.core.internal.server.ListenerSettings;
import dev.capuchin.core.spi.Location;
import dev.capuchin.core.spi.Site;
import dev.capuchin.core.spi.TlsCertificate;
import dev.capuchin.plugin.auth.AuthPlugin;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * What the sites list shows of a site beyond its names: whether it is served over TLS and
 * until when its certificate is valid, which locations are protected and how, how many
 * access rules it has, and the address that opens it. Templates call it as
 * {@code @siteSummaries}.
 */
@Component("siteSummaries")
public class SiteSummaries {

	/** The largest certificate file read for its expiry; a chain is a few KiB. */
	static final long MAX_CERTIFICATE_BYTES = 1024 * 1024;

	/** A certificate that expires within this time is shown as expiring soon. */
	static final Duration EXPIRES_SOON = Duration.ofDays(14);

	private final Supplier<List<ListenerSettings>> listeners;

	private final UnaryOperator<InetSocketAddress> bound;

	private final Clock clock;

	private final Map<Path, Expiry> expiries = new ConcurrentHashMap<>();

	@Autowired
	SiteSummaries(ObjectProvider<CapuchinServer> server) {
		this(() -> {
			CapuchinServer running = server.getIfAvailable();
			return (running != null) ? running.settings().listeners() : List.of();
		}, (address) -> bound(server.getIfAvailable(), address), Clock.systemUTC());
	}

	/**
	 * Create the summaries.
	 * @param listeners the data plane's listeners
	 * @param bound the address a listener was bound to (the port it was given for 0)
	 * @param clock the clock that tells whether a certificate expires soon
	 */
	SiteSummaries(Supplier<List<ListenerSettings>> listeners, UnaryOperator<InetSocketAddress> bound, Clock clock) {
		this.listeners = listeners;
		this.bound = bound;
		this.clock = clock;
	}

	/**
	 * The summary of a site.
	 * @param entry the site
	 * @return what the sites list shows
	 */
	public Summary of(SiteEntry entry) {
		Site site = entry.site();
		ListenerSettings secure = null;
		ListenerSettings plain = null;
		for (ListenerSettings listener : this.listeners.get()) {
			// a site bound to one address is served by that listener only
			if (site.listen() != null && !site.listen().equals(listener.address())) {
				continue;
			}
			if (listener.tls() != null && secure == null) {
				secure = listener;
			}
			if (listener.tls() == null && plain == null) {
				plain = listener;
			}
		}
		boolean tls = secure != null;
		TlsCertificate certificate = (site.tls() != null) ? site.tls() : (tls ? secure.tls() : null);
		ListenerSettings opening = tls ? secure : plain;
		InetSocketAddress port = (opening != null) ? this.bound.apply(opening.address()) : null;
		Instant expires = (certificate != null) ? expiry(certificate.certificate()) : null;
		boolean soon = expires != null && expires.isBefore(this.clock.instant().plus(EXPIRES_SOON));
		return new Summary(tls, expires, soon, site.tls() != null && !tls, site.redirectHttps(), protections(site),
				AccessRules.list(List.of(entry)).size(), link(site, tls, port));
	}

	/**
	 * The listener's address with the port it was given when it asked for any (0).
	 */
	private static InetSocketAddress bound(CapuchinServer running, InetSocketAddress address) {
		if (address.getPort() != 0 || running == null) {
			return address;
		}
		return running.boundAddresses()
			.stream()
			.filter((candidate) -> candidate.getAddress().equals(address.getAddress()))
			.findFirst()
			.orElse(address);
	}

	static List<Protection> protections(Site site) {
		List<Protection> protections = new ArrayList<>();
		for (Location location : site.locations()) {
			if (!(location.setting(AuthPlugin.NAME) instanceof Map<?, ?> block)) {
				continue;
			}
			protections.add(new Protection(AccessRules.label(location), how(location, block)));
		}
		return protections;
	}

	/**
	 * How a location's {@code auth:} block admits users, in the list's words: the realm
	 * or the OpenID login it names, else its mode.
	 */
	static String how(Location location, Map<?, ?> block) {
		String realm = RealmReferences.realmOf(location);
		if (realm != null) {
			return "auth: " + realm;
		}
		Map<?, ?> openid = OpenIdLoginReferences.blockOf(location);
		if (openid != null && openid.get(OpenIdLoginReferences.LOGIN) instanceof String login) {
			return "openid: " + login;
		}
		Object mode = block.get("mode");
		for (String key : Set.of("bearer", "openid")) {
			if (key.equals(mode) || block.containsKey(key)) {
				return key;
			}
		}
		if (block.containsKey("users-file")) {
			return "auth: users file";
		}
		return (mode instanceof String name) ? name : "auth";
	}

	static String link(Site site, boolean tls, InetSocketAddress port) {
		String host = site.serverNames()
			.stream()
			.filter((name) -> !name.contains("*") && !name.startsWith("~"))
			.findFirst()
			.orElse(null);
		if (host == null) {
			return null;
		}
		String scheme = tls ? "https" : "http";
		int defaultPort = tls ? 443 : 80;
		boolean explicit = port != null && port.getPort() != 0 && port.getPort() != defaultPort;
		return scheme + "://" + host + (explicit ? ":" + port.getPort() : "") + "/";
	}

	private Instant expiry(Path file) {
		long modified;
		try {
			modified = Files.getLastModifiedTime(file).toMillis();
		}
		catch (IOException ex) {
			return null;
		}
		Expiry known = this.expiries.get(file);
		if (known != null && known.modified() == modified) {
			return known.notAfter();
		}
		Instant notAfter = read(file);
		this.expiries.put(file, new Expiry(modified, notAfter));
		return notAfter;
	}

	/**
	 * The end of the first certificate's validity in a PEM chain, or {@code null} when
	 * the file cannot be read as one.
	 */
	static Instant read(Path file) {
		try {
			if (Files.size(file) > MAX_CERTIFICATE_BYTES) {
				return null;
			}
			try (InputStream in = Files.newInputStream(file)) {
				X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
					.generateCertificate(in);
				return certificate.getNotAfter().toInstant();
			}
		}
		catch (IOException | GeneralSecurityException | ClassCastException ex) {
			return null;
		}
	}

	private record Expiry(long modified, Instant notAfter) {
	}

	/**
	 * A protected location.
	 *
	 * @param location its path or expression
	 * @param how who may enter: {@code auth: Staff} for a stored realm, {@code bearer},
	 * {@code openid}, {@code auth: users file}
	 */
	public record Protection(String location, String how) {
	}

	/**
	 * What the sites list shows of a site.
	 *
	 * @param tls whether it is served over TLS
	 * @param certificateExpires when its certificate expires, or {@code null} when
	 * unknown
	 * @param expiresSoon whether that is within two weeks (or past)
	 * @param certificateUnused whether the site has a certificate of its own but no
	 * listener that serves it has TLS
	 * @param redirectsHttps whether plain HTTP requests are sent to HTTPS
	 * @param protections its protected locations
	 * @param rules how many access rules it has
	 * @param link the address that opens it, or {@code null} without a plain host name
	 */
	public record Summary(boolean tls, Instant certificateExpires, boolean expiresSoon, boolean certificateUnused,
			boolean redirectsHttps, List<Protection> protections, int rules, String link) {
	}

}
