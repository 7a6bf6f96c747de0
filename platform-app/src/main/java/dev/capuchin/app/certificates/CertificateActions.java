package dev.capuchin.app.certificates;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import dev.capuchin.app.audit.AuditAction;
import dev.capuchin.app.audit.AuditLog;
import dev.capuchin.app.identity.MasterKey;
import dev.capuchin.app.shared.api.ApiException;
import dev.capuchin.app.shared.config.ConfigService;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.jspecify.annotations.Nullable;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.toolbox.AcmeUtils;
import org.shredzone.acme4j.toolbox.JoseUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;

/**
 * What the console and the API do to certificates, shared by both: order or renew a
 * site's certificate now, revoke one at the CA (a new order follows), upload a PEM pair
 * for a site and delete it again, and the ACME account's email and key rollover. Each
 * action runs on the certificates' own thread ({@link AcmeCertificates#exclusively}), so
 * that it never runs beside this node's own orders, and is audited. Refusals are
 * {@link ApiException}s naming the field: 400 for bad input, 404 for an unknown site, 409
 * for an action that does not fit the certificate, 502 when the CA refuses, 504 when it
 * takes longer than the order time limit.
 */
final class CertificateActions {

	private static final Logger logger = LoggerFactory.getLogger(CertificateActions.class);

	/** A contact address as ACME CAs take it: no spaces, one @, a dot in the domain. */
	private static final Pattern EMAIL = Pattern.compile("[^@\\s,;:<>]+@[^@\\s,;:<>]+\\.[^@\\s,;:<>]+");

	private static final int MAX_EMAIL = 320;

	private final AcmeProperties properties;

	private final CertificateStore store;

	private final CertificateEdits edits;

	private final AcmeCertificates certificates;

	private final AcmeClient client;

	private final MasterKey masterKey;

	private final AuditLog audit;

	private final ConfigService config;

	private final Clock clock;

	CertificateActions(AcmeProperties properties, CertificateStore store, CertificateEdits edits,
			AcmeCertificates certificates, MasterKey masterKey, AuditLog audit, ConfigService config, Clock clock) {
		this.properties = properties;
		this.store = store;
		this.edits = edits;
		this.certificates = certificates;
		this.client = new AcmeClient(properties, store, masterKey, clock);
		this.masterKey = masterKey;
		this.audit = audit;
		this.config = config;
		this.clock = clock;
	}

	/**
	 * The names a site orders, refusing a site that orders none.
	 * @param site the site's name
	 * @return the names
	 */
	List<String> names(String site) {
		List<String> names = this.certificates.wanted().get(site);
		if (names != null) {
			return names;
		}
		if (this.config.current().entries().stream().noneMatch((entry) -> entry.name().equals(site))) {
			throw ApiException.notFound("site '" + site + "'");
		}
		throw ApiException.conflict("site " + site + ": tls.acme: not true (expected: a site with tls: {acme: true} "
				+ "and a server name a CA validates)");
	}

	/**
	 * The sites that order certificates ({@code tls: {acme: true}}), which an upload may
	 * name.
	 * @return their names
	 */
	Set<String> sites() {
		return this.certificates.wanted().keySet();
	}

	/**
	 * Order a site's certificate now, whether one is due or not (after a failure too,
	 * without waiting for the back-off).
	 * @param site the site's name
	 * @param renew whether a certificate must be there already (renew now)
	 * @param actor who asked
	 * @return the certificate now stored
	 */
	StoredCertificate order(String site, boolean renew, String actor) {
		names(site);
		StoredCertificate before = this.store.find(site);
		if (renew && (before == null || !before.issued())) {
			throw ApiException.conflict("site " + site + ": no certificate issued yet (expected: an issued "
					+ "certificate to renew; order one instead)");
		}
		exclusively(() -> {
			this.edits.due(site, this.clock.instant());
			this.certificates.check();
			return null;
		});
		StoredCertificate after = ordered(site, before);
		this.audit.record(actor, "ordered", "certificate " + site, serial(before),
				(renew ? "renew now: serial " : "order now: serial ") + after.serial());
		return after;
	}

	/**
	 * Revoke a site's ACME certificate at the CA; a new order follows at once.
	 * @param site the site's name
	 * @param actor who asked
	 * @return the certificate stored after the new order (with its error when it failed)
	 */
	StoredCertificate revoke(String site, String actor) {
		names(site);
		StoredCertificate before = this.store.find(site);
		if (before == null || !before.issued()) {
			throw ApiException.conflict("site " + site + ": no certificate issued (expected: an issued certificate)");
		}
		if (!StoredCertificate.ACME.equals(before.source())) {
			throw ApiException.conflict("site " + site + ": source: " + before.source() + " (expected: acme; an "
					+ "uploaded certificate is revoked at the CA that issued it, and deleted here)");
		}
		X509Certificate leaf = leaf(before);
		exclusively(() -> {
			Login login = this.client.login();
			Certificate.revoke(login, leaf, null);
			logger.info("Site {}: certificate {} revoked at {}", site, before.serial(), this.properties.directory());
			this.audit.record(actor, AuditAction.REVOKED, "certificate " + site, "serial " + before.serial(),
					"revoked at " + this.properties.directory());
			this.edits.due(site, this.clock.instant());
			this.certificates.check();
			return null;
		});
		StoredCertificate after = this.store.find(site);
		return (after != null) ? after : before;
	}

	/**
	 * Store an uploaded PEM pair for a site, served by every node from its next look
	 * (this node's at once). It serves until the time an ACME certificate of its lifetime
	 * would be renewed; then the site's ACME order follows, unless another upload came.
	 * @param site the site's name
	 * @param certificatePem the PEM chain, leaf first
	 * @param privateKeyPem the PEM private key
	 * @param actor who uploaded it
	 * @return the stored certificate
	 */
	StoredCertificate upload(String site, @Nullable String certificatePem, @Nullable String privateKeyPem,
			String actor) {
		List<String> names = names(site);
		Instant now = this.clock.instant();
		UploadedCertificates.Uploaded uploaded;
		try {
			uploaded = UploadedCertificates.check(site, names, certificatePem, privateKeyPem, now);
		}
		catch (IllegalArgumentException ex) {
			logger.info("Site {}: uploaded certificate refused: {}", site, ex.getMessage());
			throw ApiException.badRequest(ex.getMessage());
		}
		X509Certificate leaf = uploaded.leaf();
		Instant notBefore = leaf.getNotBefore().toInstant();
		Instant notAfter = leaf.getNotAfter().toInstant();
		Instant next = this.certificates.renewal(notBefore, notAfter);
		if (next.isBefore(now)) {
			// past two thirds already: half of what is left, not an order at once
			next = now.plus(Duration.between(now, notAfter).dividedBy(2));
		}
		StoredCertificate before = this.store.find(site);
		StoredCertificate row = new StoredCertificate(site, names, UploadedCertificates.SOURCE,
				leaf.getIssuerX500Principal().getName(), leaf.getSerialNumber().toString(16), notBefore, notAfter,
				uploaded.chainPem(), this.masterKey.encrypt(uploaded.privateKeyPem()), next, 0, null, now);
		exclusively(() -> {
			this.store.save(row);
			this.certificates.check();
			return null;
		});
		this.audit.record(actor, AuditAction.ADDED, "certificate " + site, serial(before),
				"uploaded serial " + row.serial() + " for " + String.join(", ", names) + " until " + notAfter);
		return row;
	}

	/**
	 * Delete a site's uploaded certificate; the site's ACME order follows at once (the
	 * uploaded one serves until it is in place).
	 * @param site the site's name
	 * @param actor who asked
	 * @return the certificate stored after the order, or {@code null} when it failed
	 * before any row was written
	 */
	@Nullable StoredCertificate delete(String site, String actor) {
		names(site);
		StoredCertificate before = this.store.find(site);
		if (before == null) {
			throw ApiException.notFound("certificate of site '" + site + "'");
		}
		if (!UploadedCertificates.SOURCE.equals(before.source())) {
			throw ApiException.conflict("site " + site + ": source: " + before.source() + " (expected: file; an ACME "
					+ "certificate is revoked or renewed, not deleted)");
		}
		exclusively(() -> {
			if (this.edits.deleteUploaded(site)) {
				this.audit.record(actor, AuditAction.REMOVED, "certificate " + site,
						"uploaded serial " + before.serial(), null);
			}
			this.certificates.check();
			return null;
		});
		return this.store.find(site);
	}

	/**
	 * The ACME account.
	 * @return its directory, email, key thumbprint and URL (the last two {@code null}
	 * before the first order made it)
	 */
	AccountView account() {
		String directory = this.properties.directory().toString();
		Map<String, Object> row = this.edits.account(directory);
		if (row == null) {
			return new AccountView(directory, this.properties.email(), null, null);
		}
		String email = (String) row.get("email");
		return new AccountView(directory, (email != null) ? email : this.properties.email(),
				thumbprint((String) row.get("key_pair_encrypted")), (String) row.get("location"));
	}

	/**
	 * Change the account's contact address at the CA and in the store.
	 * @param email the new address
	 * @param actor who asked
	 * @return the account
	 */
	AccountView email(@Nullable String email, String actor) {
		String address = (email != null) ? email.trim() : "";
		if (address.length() > MAX_EMAIL || !EMAIL.matcher(address).matches()) {
			throw ApiException.badRequest("email: '" + abbreviate(address) + "' (expected: a mail address such as "
					+ "admin@example.com, at most " + MAX_EMAIL + " characters)");
		}
		String before = account().email();
		exclusively(() -> {
			Login login = this.client.login();
			Account.EditableAccount edit = login.getAccount().modify();
			edit.getContacts().clear();
			edit.addEmail(address);
			edit.commit();
			this.edits.email(this.properties.directory().toString(), address);
			return null;
		});
		this.audit.record(actor, AuditAction.CHANGED, "acme account " + this.properties.directory(), before, address);
		return account();
	}

	/**
	 * Replace the account's key with a new one (RFC 8555, section 7.3.5), at the CA and
	 * in the store; the account, its orders and certificates stay.
	 * @param actor who asked
	 * @return the account with its new key's thumbprint
	 */
	AccountView rollover(String actor) {
		exclusively(() -> {
			Login login = this.client.login();
			String before = thumbprint(login.getKeyPair().getPublic());
			KeyPair next = ecKey();
			login.getAccount().changeKey(next);
			this.edits.accountKey(this.properties.directory().toString(),
					this.masterKey.encrypt(AcmeClient.pkcs8(next) + pem("PUBLIC KEY", next.getPublic().getEncoded())));
			this.audit.record(actor, AuditAction.ROTATED, "acme account " + this.properties.directory(),
					"key " + before, "key " + thumbprint(next.getPublic()));
			logger.info("ACME account at {}: key rolled over", this.properties.directory());
			return null;
		});
		return account();
	}

	private StoredCertificate ordered(String site, @Nullable StoredCertificate before) {
		StoredCertificate after = this.store.find(site);
		if (after == null || !after.issued() || (before != null && Objects.equals(after.serial(), before.serial()))) {
			String error = (after != null && after.lastError() != null) ? after.lastError()
					: "no certificate issued (the server log has the details)";
			throw new ApiException(HttpStatus.BAD_GATEWAY, "acme: " + error);
		}
		return after;
	}

	private void exclusively(AcmeTask task) {
		Duration timeout = this.properties.timeout().multipliedBy(3);
		try {
			this.certificates.exclusively(task::run, timeout);
		}
		catch (ApiException ex) {
			throw ex;
		}
		catch (TimeoutException ex) {
			throw new ApiException(HttpStatus.GATEWAY_TIMEOUT, "acme: no outcome within " + timeout
					+ " (it carries on: GET /api/certificates shows it, or the server log)");
		}
		catch (AcmeException ex) {
			logger.warn("ACME action refused by {}: {}", this.properties.directory(), ex.toString());
			throw new ApiException(HttpStatus.BAD_GATEWAY, "acme: " + ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "acme: interrupted (the node is stopping)");
		}
		catch (IllegalStateException ex) {
			// the terms of service not accepted, an unreadable account key
			throw ApiException.conflict(ex.getMessage());
		}
		catch (Exception ex) {
			logger.warn("ACME action failed", ex);
			throw new ApiException(HttpStatus.BAD_GATEWAY, "acme: " + ex);
		}
	}

	private static @Nullable String serial(@Nullable StoredCertificate row) {
		return (row != null && row.serial() != null) ? "serial " + row.serial() : null;
	}

	private static X509Certificate leaf(StoredCertificate row) {
		try {
			return (X509Certificate) CertificateFactory.getInstance("X.509")
				.generateCertificate(
						new ByteArrayInputStream(row.certificateChain().getBytes(StandardCharsets.US_ASCII)));
		}
		catch (CertificateException ex) {
			throw new IllegalStateException("site " + row.name() + ": stored chain: " + ex.getMessage(), ex);
		}
	}

	private @Nullable String thumbprint(@Nullable String encrypted) {
		if (encrypted == null) {
			return null;
		}
		try (PEMParser parser = new PEMParser(new StringReader(this.masterKey.decrypt(encrypted)))) {
			for (Object parsed = parser.readObject(); parsed != null; parsed = parser.readObject()) {
				if (parsed instanceof SubjectPublicKeyInfo info) {
					return thumbprint(new JcaPEMKeyConverter().getPublicKey(info));
				}
			}
			return null;
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("ACME account key in the store: {}", ex.toString());
			return null;
		}
	}

	// RFC 7638, as the CA computes it for key authorizations
	private static String thumbprint(PublicKey key) {
		return AcmeUtils.base64UrlEncode(JoseUtils.thumbprint(key));
	}

	private static KeyPair ecKey() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp384r1"), new SecureRandom());
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("EC key on secp384r1: " + ex.getMessage(), ex);
		}
	}

	private static String pem(String type, byte[] der) {
		return "-----BEGIN " + type + "-----\n"
				+ Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
				+ "\n-----END " + type + "-----\n";
	}

	private static String abbreviate(String text) {
		return (text.length() > 80) ? text.substring(0, 80) + "..." : text;
	}

	@FunctionalInterface
	private interface AcmeTask {

		@Nullable Object run() throws Exception;

	}

	/**
	 * The ACME account as the console and the API show it.
	 *
	 * @param directory the CA's directory URL
	 * @param email the contact address
	 * @param keyThumbprint the account key's thumbprint (RFC 7638, base64url), or
	 * {@code null} before the account exists
	 * @param location the account's URL at the CA, or {@code null} before the account
	 * exists
	 */
	record AccountView(String directory, @Nullable String email, @Nullable String keyThumbprint,
			@Nullable String location) {
	}

}
