package dev.capuchin.app.certificates;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import dev.capuchin.app.identity.MasterKey;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jspecify.annotations.Nullable;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.OrderBuilder;
import org.shredzone.acme4j.RenewalInfo;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Challenge;
import org.shredzone.acme4j.challenge.Dns01Challenge;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.challenge.TlsAlpn01Challenge;
import org.shredzone.acme4j.connector.HttpConnector;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.connector.Resource;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.provider.GenericAcmeProvider;

/**
 * Orders certificates from one ACME CA through acme4j: the account (its key made once,
 * kept encrypted in the store and shared by every node), then per order a validation of
 * each name, by HTTP-01 or TLS-ALPN-01 ({@code capuchin.acme.challenge}), whose answer
 * goes to the store so that whichever node the CA reaches answers it, or by DNS-01
 * through the {@link DnsHook} for wildcard names, and the issuance with a fresh EC P-256
 * key. Blocking: runs on the certificates' own thread, never an event loop.
 */
final class AcmeClient {

	private final AcmeProperties properties;

	private final CertificateStore store;

	private final MasterKey masterKey;

	private final Clock clock;

	private final GenericAcmeProvider provider;

	private final @Nullable DnsHook dnsHook;

	AcmeClient(AcmeProperties properties, CertificateStore store, MasterKey masterKey, Clock clock) {
		this.properties = properties;
		this.store = store;
		this.masterKey = masterKey;
		this.clock = clock;
		SSLContext trust = (properties.trustCa() != null) ? trusting(properties) : null;
		this.provider = new TrustingProvider(trust);
		this.dnsHook = (properties.dnsHook() != null) ? new DnsHook(properties.dnsHook(), properties.dnsHookTimeout())
				: null;
	}

	/**
	 * Sign in to the CA with the stored account, creating the account on first use.
	 * @return the login
	 * @throws AcmeException when the CA refuses or cannot be reached
	 * @throws IllegalStateException when the terms of service are not accepted
	 */
	Login login() throws AcmeException {
		Session session = new Session(this.properties.directory(), this.provider);
		if (!this.properties.acceptTerms()) {
			Optional<URI> terms = session.getMetadata().getTermsOfService();
			if (terms.isPresent()) {
				throw new IllegalStateException("capuchin.acme.accept-terms: false (expected: true, accepting the "
						+ "CA's terms of service at " + terms.get() + ")");
			}
		}
		AccountBuilder account = new AccountBuilder().useKeyPair(accountKey());
		if (this.properties.acceptTerms()) {
			account.agreeToTermsOfService();
		}
		if (this.properties.email() != null && !this.properties.email().isBlank()) {
			account.addEmail(this.properties.email());
		}
		if (this.properties.eabKeyId() != null) {
			account.withKeyIdentifier(this.properties.eabKeyId(), this.properties.eabHmacKey());
		}
		Login login = account.createLogin(session);
		this.store.saveAccountLocation(directory(), login.getAccountLocation().toString());
		return login;
	}

	/**
	 * Order a certificate for some names, proving control of each by the configured
	 * challenge (DNS-01 through the hook for wildcard names).
	 * @param login the account
	 * @param names the host names, the first one the subject
	 * @return the certificate chain and its new private key
	 * @throws AcmeException when the CA refuses, a validation fails, or the order takes
	 * longer than {@code capuchin.acme.timeout}
	 * @throws InterruptedException when the node stops meanwhile
	 */
	Issued order(Login login, List<String> names) throws AcmeException, InterruptedException {
		return order(login, names, null);
	}

	/**
	 * Order a certificate for some names, naming the certificate it replaces where the CA
	 * offers renewal information (RFC 9773), so that the CA can exempt the renewal from
	 * its rate limits.
	 * @param login the account
	 * @param names the host names, the first one the subject
	 * @param replaces the certificate being renewed, or {@code null}
	 * @return the certificate chain and its new private key
	 * @throws AcmeException when the CA refuses, a validation fails, or the order takes
	 * longer than {@code capuchin.acme.timeout}
	 * @throws InterruptedException when the node stops meanwhile
	 */
	Issued order(Login login, List<String> names, @Nullable X509Certificate replaces)
			throws AcmeException, InterruptedException {
		Duration timeout = this.properties.timeout();
		OrderBuilder builder = login.getAccount().newOrder().domains(names);
		if (replaces != null && offersRenewalInfo(login)) {
			builder.replaces(replaces);
		}
		Order order = builder.create();
		for (Authorization authorization : order.getAuthorizations()) {
			if (authorization.getStatus() != Status.VALID) {
				prove(authorization, timeout);
			}
		}
		order.waitUntilReady(timeout);
		KeyPair key = ecKey("secp256r1");
		order.execute(key);
		Status status = order.waitForCompletion(timeout);
		if (status != Status.VALID) {
			throw new AcmeException(
					"order " + status.name().toLowerCase() + order.getError().map((error) -> ": " + error).orElse(""));
		}
		org.shredzone.acme4j.Certificate certificate = order.getCertificate();
		StringWriter chain = new StringWriter();
		try {
			certificate.writeCertificate(chain);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return new Issued(chain.toString(), pkcs8(key), certificate.getCertificate());
	}

	/**
	 * Whether the CA offers ACME Renewal Information (RFC 9773).
	 * @param login the account
	 * @return whether its directory names a {@code renewalInfo} resource
	 * @throws AcmeException when the directory cannot be read
	 */
	boolean offersRenewalInfo(Login login) throws AcmeException {
		return login.getSession().resourceUrlOptional(Resource.RENEWAL_INFO).isPresent();
	}

	/**
	 * The CA's suggested renewal window for a certificate (RFC 9773), where it offers
	 * one.
	 * @param login the account
	 * @param certificate the certificate
	 * @return the window's start and end, or {@code null} when the CA offers no renewal
	 * information
	 * @throws AcmeException when the CA cannot be asked
	 */
	@Nullable RenewalWindow renewalWindow(Login login, X509Certificate certificate) throws AcmeException {
		if (!offersRenewalInfo(login)) {
			return null;
		}
		RenewalInfo info = login.bindRenewalInfo(certificate);
		return new RenewalWindow(info.getSuggestedWindowStart(), info.getSuggestedWindowEnd());
	}

	// one authorization, by the challenge its name calls for
	private void prove(Authorization authorization, Duration timeout) throws AcmeException, InterruptedException {
		String name = authorization.getIdentifier().getDomain();
		if (authorization.isWildcard()) {
			proveByDns(authorization, name, timeout);
		}
		else if (this.properties.challenge() == AcmeChallenge.TLS_ALPN_01) {
			TlsAlpn01Challenge challenge = find(authorization, TlsAlpn01Challenge.class, name);
			KeyPair key = ecKey("secp256r1");
			X509Certificate certificate = alpnCertificate(key, name, challenge.getAcmeValidation());
			String host = name.toLowerCase(Locale.ROOT);
			try {
				this.store.putAlpnChallenge(host, pem("CERTIFICATE", certificate.getEncoded()),
						this.masterKey.encrypt(pkcs8(key)), this.clock.instant().plus(timeout).plus(timeout));
			}
			catch (GeneralSecurityException ex) {
				throw new AcmeException(name + ": tls-alpn-01 certificate: " + ex.getMessage());
			}
			try {
				validate(challenge, name, timeout);
			}
			finally {
				this.store.removeAlpnChallenge(host);
			}
		}
		else {
			Http01Challenge challenge = find(authorization, Http01Challenge.class, name);
			this.store.putChallenge(challenge.getToken(), challenge.getAuthorization(),
					this.clock.instant().plus(timeout).plus(timeout));
			try {
				validate(challenge, name, timeout);
			}
			finally {
				this.store.removeChallenge(challenge.getToken());
			}
		}
	}

	// RFC 8737, section 3: self-signed, the name as its only SAN, and the critical
	// acmeIdentifier extension holding the key authorization's digest. Made here
	// rather than by acme4j, whose builder asks for the BouncyCastle provider by name
	private static X509Certificate alpnCertificate(KeyPair key, String name, byte[] validation) throws AcmeException {
		try {
			Instant now = Instant.now();
			X500Name subject = new X500Name("CN=acme.invalid");
			JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
					BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofDays(1))),
					Date.from(now.plus(Duration.ofDays(7))), subject, key.getPublic());
			builder.addExtension(Extension.subjectAlternativeName, false,
					new GeneralNames(new GeneralName(GeneralName.dNSName, name)));
			builder.addExtension(new ASN1ObjectIdentifier(TlsAlpn01Challenge.ACME_VALIDATION_OID), true,
					new DEROctetString(validation));
			return new JcaX509CertificateConverter()
				.getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
		}
		catch (IOException | GeneralSecurityException | OperatorCreationException ex) {
			throw new AcmeException(name + ": tls-alpn-01 certificate: " + ex.getMessage());
		}
	}

	private void proveByDns(Authorization authorization, String name, Duration timeout)
			throws AcmeException, InterruptedException {
		if (this.dnsHook == null) {
			throw new AcmeException("*." + name + ": a wildcard name is proved by DNS-01 only "
					+ "(expected: capuchin.acme.dns-hook, a command that publishes TXT records)");
		}
		Dns01Challenge challenge = find(authorization, Dns01Challenge.class, name);
		String record = Dns01Challenge.toRRName(authorization.getIdentifier());
		String value = challenge.getDigest();
		this.dnsHook.present(record, name, value);
		try {
			validate(challenge, "*." + name, timeout);
		}
		finally {
			this.dnsHook.cleanup(record, name, value);
		}
	}

	private static <C extends Challenge> C find(Authorization authorization, Class<C> type, String name)
			throws AcmeException {
		return authorization.findChallenge(type)
			.orElseThrow(() -> new AcmeException(name + ": the CA offers no " + typeName(type) + " challenge"));
	}

	private static String typeName(Class<? extends Challenge> type) {
		if (type == TlsAlpn01Challenge.class) {
			return TlsAlpn01Challenge.TYPE;
		}
		return (type == Dns01Challenge.class) ? Dns01Challenge.TYPE : Http01Challenge.TYPE;
	}

	private static void validate(Challenge challenge, String name, Duration timeout)
			throws AcmeException, InterruptedException {
		challenge.trigger();
		Status status = challenge.waitForCompletion(timeout);
		if (status != Status.VALID) {
			throw new AcmeException(name + ": " + challenge.getType() + " validation " + status.name().toLowerCase()
					+ problem(challenge));
		}
	}

	private static String problem(Challenge challenge) {
		return challenge.getError().map((error) -> ": " + error).orElse("");
	}

	private String directory() {
		return this.properties.directory().toString();
	}

	private KeyPair accountKey() {
		String stored = this.store.accountKey(directory());
		if (stored == null) {
			KeyPair made = ecKey("secp384r1");
			String pem = pkcs8(made) + pem("PUBLIC KEY", made.getPublic().getEncoded());
			stored = this.store.saveAccountKey(directory(), this.properties.email(), this.masterKey.encrypt(pem),
					this.clock.instant());
		}
		String pem = this.masterKey.decrypt(stored);
		try {
			KeyFactory factory = KeyFactory.getInstance("EC");
			return new KeyPair(factory.generatePublic(new X509EncodedKeySpec(der(pem, "PUBLIC KEY"))),
					factory.generatePrivate(new PKCS8EncodedKeySpec(der(pem, "PRIVATE KEY"))));
		}
		catch (GeneralSecurityException | IllegalArgumentException ex) {
			throw new IllegalStateException("ACME account key in the store: " + ex.getMessage(), ex);
		}
	}

	private static byte[] der(String pem, String type) {
		String begin = "-----BEGIN " + type + "-----";
		int start = pem.indexOf(begin);
		int end = pem.indexOf("-----END " + type + "-----");
		if (start < 0 || end < start) {
			throw new IllegalArgumentException("no " + type + " block");
		}
		return Base64.getMimeDecoder().decode(pem.substring(start + begin.length(), end));
	}

	private static String pem(String type, byte[] der) {
		return "-----BEGIN " + type + "-----\n"
				+ Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
				+ "\n-----END " + type + "-----\n";
	}

	// the JDK's own generator: acme4j's asks for the BouncyCastle provider by name, which
	// would have to be installed JVM-wide
	private static KeyPair ecKey(String curve) {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec(curve), new SecureRandom());
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("EC key on " + curve + ": " + ex.getMessage(), ex);
		}
	}

	static String pkcs8(KeyPair key) {
		return pem("PRIVATE KEY", key.getPrivate().getEncoded());
	}

	// the JDK's CAs and the ones in capuchin.acme.trust-ca
	private static SSLContext trusting(AcmeProperties properties) {
		try {
			KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
			store.load(null, null);
			TrustManagerFactory defaults = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			defaults.init((KeyStore) null);
			int i = 0;
			for (TrustManager manager : defaults.getTrustManagers()) {
				if (manager instanceof X509TrustManager x509) {
					for (X509Certificate issuer : x509.getAcceptedIssuers()) {
						store.setCertificateEntry("jdk-" + i++, issuer);
					}
				}
			}
			try (InputStream in = Files.newInputStream(properties.trustCa())) {
				for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
					store.setCertificateEntry("trust-ca-" + i++, certificate);
				}
			}
			TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			factory.init(store);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, factory.getTrustManagers(), new SecureRandom());
			return context;
		}
		catch (IOException | GeneralSecurityException ex) {
			throw new IllegalArgumentException("capuchin.acme.trust-ca: " + properties.trustCa() + " ("
					+ ex.getMessage() + "; expected: a readable PEM file of CA certificates)", ex);
		}
	}

	/**
	 * A certificate the CA issued.
	 *
	 * @param chainPem the PEM chain, leaf first
	 * @param privateKeyPem the PKCS#8 PEM private key
	 * @param leaf the leaf certificate
	 */
	record Issued(String chainPem, String privateKeyPem, X509Certificate leaf) {
	}

	/**
	 * The window in which the CA suggests renewing a certificate (RFC 9773, section 4.2).
	 *
	 * @param start the window's start
	 * @param end the window's end
	 */
	record RenewalWindow(Instant start, Instant end) {
	}

	/** acme4j's generic provider, trusting {@code trust-ca} for the CA's own HTTPS. */
	private static final class TrustingProvider extends GenericAcmeProvider {

		private final @Nullable SSLContext trust;

		TrustingProvider(@Nullable SSLContext trust) {
			this.trust = trust;
		}

		@Override
		protected HttpConnector createHttpConnector(NetworkSettings settings) {
			if (this.trust == null) {
				return super.createHttpConnector(settings);
			}
			SSLContext context = this.trust;
			return new HttpConnector(settings) {
				@Override
				public HttpClient.Builder createClientBuilder() {
					return super.createClientBuilder().sslContext(context);
				}
			};
		}

	}

}
