package dev.capuchin.app.certificates;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.capuchin.app.sites.SiteEntry;
import dev.capuchin.core.spi.Site;
import org.jspecify.annotations.Nullable;

/**
 * Every certificate a node serves, as the API and the console show it: the ACME ones from
 * the store and the files that sites name.
 */
final class CertificateViews {

	private CertificateViews() {
	}

	/**
	 * The views, by site.
	 * @param sites the configured sites
	 * @param stored the ACME certificates in the store
	 * @return one view per certificate
	 */
	static List<Map<String, Object>> views(List<SiteEntry> sites, List<StoredCertificate> stored) {
		List<Map<String, Object>> views = new ArrayList<>();
		for (StoredCertificate row : stored) {
			views.add(acme(row));
		}
		for (SiteEntry entry : sites) {
			Site site = entry.site();
			if (site.tls() != null && !site.tls().acme()) {
				views.add(file(site));
			}
		}
		return views;
	}

	private static Map<String, Object> acme(StoredCertificate row) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("site", row.name());
		view.put("names", row.names());
		view.put("source", row.source());
		view.put("issuer", row.issuer());
		view.put("serial", row.serial());
		view.put("not-before", text(row.notBefore()));
		view.put("not-after", text(row.notAfter()));
		view.put("next-renewal", text(row.nextAttempt()));
		view.put("failures", row.failures());
		view.put("last-error", row.lastError());
		return view;
	}

	private static Map<String, Object> file(Site site) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("site", site.name());
		X509Certificate leaf = null;
		String error = null;
		try (InputStream in = Files.newInputStream(site.tls().certificate())) {
			leaf = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
		}
		catch (IOException | CertificateException | ClassCastException ex) {
			error = site.tls().certificate() + ": " + ex.getMessage();
		}
		view.put("names", (leaf != null) ? names(leaf) : site.serverNames());
		view.put("source", "file");
		view.put("issuer", (leaf != null) ? leaf.getIssuerX500Principal().getName() : null);
		view.put("serial", (leaf != null) ? leaf.getSerialNumber().toString(16) : null);
		view.put("not-before", (leaf != null) ? leaf.getNotBefore().toInstant().toString() : null);
		view.put("not-after", (leaf != null) ? leaf.getNotAfter().toInstant().toString() : null);
		view.put("next-renewal", null);
		view.put("failures", 0);
		view.put("last-error", error);
		view.put("certificate", site.tls().certificate().toString());
		return view;
	}

	private static List<String> names(X509Certificate leaf) {
		List<String> names = new ArrayList<>();
		try {
			if (leaf.getSubjectAlternativeNames() != null) {
				for (List<?> name : leaf.getSubjectAlternativeNames()) {
					names.add(String.valueOf(name.get(1)));
				}
			}
		}
		catch (CertificateParsingException ex) {
			// the subject's name below is what is left
		}
		if (names.isEmpty()) {
			names.add(leaf.getSubjectX500Principal().getName());
		}
		return names;
	}

	private static @Nullable String text(@Nullable Instant instant) {
		return (instant != null) ? instant.toString() : null;
	}

}
