package dev.capuchin.app.certificates;

import dev.capuchin.app.shared.config.SiteDefaults;
import dev.capuchin.core.spi.Site;
import dev.capuchin.core.spi.TlsCertificate;

/**
 * {@code capuchin.acme.every-site}: every site without a certificate of its own is served
 * as if it said {@code tls: {acme: true}} — ordered from the CA, redirected from plain
 * HTTP once a TLS listener is bound — when it has a name a CA certifies: a host name with
 * at least one dot (a single label such as {@code localhost} is never certified by a
 * public CA) that is not an address, and wildcards only with a DNS hook. A site with
 * certificate files keeps them.
 */
final class AcmeEverySite implements SiteDefaults {

	private final boolean wildcards;

	/**
	 * The defaults for a CA's settings.
	 * @param properties the ACME settings
	 */
	AcmeEverySite(AcmeProperties properties) {
		this.wildcards = properties.dnsHook() != null;
	}

	@Override
	public Site apply(Site site) {
		if (site.tls() != null || !certifiable(site)) {
			return site;
		}
		return site.withTls(TlsCertificate.acme(site.name()));
	}

	private boolean certifiable(Site site) {
		return AcmeCertificates.orderable(site.serverNames(), this.wildcards)
			.stream()
			.anyMatch((name) -> name.indexOf('.') > 0 && !name.endsWith("."));
	}

}
