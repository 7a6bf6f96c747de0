package dev.capuchin.app.certificates;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import static org.awaitility.Awaitility.await;

/**
 * A real Pebble (Let's Encrypt's ACME test server, Debian package {@code pebble}) on
 * loopback for tests, with {@code pebble-challtestsrv} as its DNS so that every name
 * resolves to 127.0.0.1. Its HTTP-01 validations go to the port given, where the test's
 * plain-HTTP listener is. It can be stopped and started again on the same ports, to play
 * a CA that is down.
 */
final class Pebble implements AutoCloseable {

	private final Path directory;

	private final int port;

	private final int managementPort;

	private final int dnsPort;

	private final int httpPort;

	private final int tlsPort;

	private final Duration validity;

	private List<String> blocked = List.of();

	private final int challengeManagementPort;

	private final SSLContext trustingPebble;

	private final Path configuration;

	private Process pebble;

	private Process dns;

	private Pebble(Path directory, int httpPort, int tlsPort, Duration validity) {
		this.directory = directory;
		this.httpPort = httpPort;
		this.port = freePort();
		this.managementPort = freePort();
		this.dnsPort = freePort();
		this.challengeManagementPort = freePort();
		X509Certificate own = selfSigned(directory, "127.0.0.1");
		this.trustingPebble = trusting(List.of(own));
		this.configuration = directory.resolve("pebble-config.json");
		this.tlsPort = tlsPort;
		this.validity = validity;
		writeConfiguration();
	}

	private void writeConfiguration() {
		String blocked = this.blocked.stream().map((name) -> "\"" + name + "\"").collect(Collectors.joining(", "));
		write(this.configuration, """
				{"pebble": {
				  "listenAddress": "127.0.0.1:%d",
				  "managementListenAddress": "127.0.0.1:%d",
				  "certificate": "%s",
				  "privateKey": "%s",
				  "httpPort": %d,
				  "tlsPort": %d,
				  "ocspResponderURL": "",
				  "externalAccountBindingRequired": false,
				  "domainBlocklist": [%s],
				  "certificateValidityPeriod": %d
				}}
				""".formatted(this.port, this.managementPort, this.directory.resolve("pebble.crt"),
				this.directory.resolve("pebble.key"), this.httpPort, this.tlsPort, blocked, this.validity.toSeconds()));
	}

	/**
	 * Refuse orders for some names from the next {@link #start()} on, as a CA's policy
	 * does ({@code rejectedIdentifier}); an empty list refuses none.
	 * @param names the names refused
	 */
	void refuse(List<String> names) {
		this.blocked = List.copyOf(names);
		writeConfiguration();
	}

	/**
	 * Configure a Pebble; nothing runs until {@link #start()}.
	 * @param directory where its configuration and TLS files go
	 * @param httpPort the port its HTTP-01 validations connect to
	 * @param validity the lifetime of the certificates it issues
	 * @return the Pebble
	 */
	static Pebble create(Path directory, int httpPort, Duration validity) {
		return new Pebble(directory, httpPort, 5001, validity);
	}

	/**
	 * Configure a Pebble whose TLS-ALPN-01 validations go to a given port; nothing runs
	 * until {@link #start()}.
	 * @param directory where its configuration and TLS files go
	 * @param httpPort the port its HTTP-01 validations connect to
	 * @param tlsPort the port its TLS-ALPN-01 validations connect to
	 * @param validity the lifetime of the certificates it issues
	 * @return the Pebble
	 */
	static Pebble create(Path directory, int httpPort, int tlsPort, Duration validity) {
		return new Pebble(directory, httpPort, tlsPort, validity);
	}

	/** Start Pebble and its DNS server, and wait until the directory answers. */
	void start() {
		try {
			if (this.dns == null) {
				this.dns = new ProcessBuilder("pebble-challtestsrv", "-defaultIPv4", "127.0.0.1", "-defaultIPv6", "",
						"-dns01", "127.0.0.1:" + this.dnsPort, "-http01", "", "-https01", "", "-tlsalpn01", "",
						"-management", "127.0.0.1:" + this.challengeManagementPort)
					.redirectErrorStream(true)
					.redirectOutput(this.directory.resolve("challtestsrv.log").toFile())
					.start();
			}
			ProcessBuilder builder = new ProcessBuilder("pebble", "-config", this.configuration.toString(),
					"-dnsserver", "127.0.0.1:" + this.dnsPort)
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(this.directory.resolve("pebble.log").toFile()));
			Map<String, String> environment = builder.environment();
			// real validations, no random sleeps, no refused nonces: the test is about
			// Capuchin, not about acme4j's retries
			environment.put("PEBBLE_VA_ALWAYS_VALID", "0");
			environment.put("PEBBLE_VA_NOSLEEP", "1");
			environment.put("PEBBLE_WFE_NONCEREJECT", "0");
			environment.put("PEBBLE_AUTHZREUSE", "0");
			this.pebble = builder.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("pebble: " + ex.getMessage(), ex);
		}
		await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> get(directoryUrl()).statusCode() == 200);
	}

	/** Stop Pebble (its DNS server stays), as a CA that is down. */
	void stop() {
		if (this.pebble != null) {
			this.pebble.destroy();
			try {
				this.pebble.waitFor();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.pebble = null;
		}
	}

	@Override
	public void close() {
		stop();
		if (this.dns != null) {
			this.dns.destroy();
			this.dns = null;
		}
	}

	/**
	 * The directory URL, for {@code capuchin.acme.directory}.
	 * @return the URL
	 */
	String directoryUrl() {
		return "https://127.0.0.1:" + this.port + "/dir";
	}

	/**
	 * The port its HTTP-01 validations connect to.
	 * @return the port
	 */
	int httpPort() {
		return this.httpPort;
	}

	/**
	 * The management API of {@code pebble-challtestsrv}, Pebble's DNS: {@code /set-txt}
	 * and {@code /clear-txt} publish and remove the TXT records of DNS-01 validations.
	 * @return the base URL, without a final slash
	 */
	String dnsManagementUrl() {
		return "http://127.0.0.1:" + this.challengeManagementPort;
	}

	/**
	 * Pebble's own TLS certificate, for {@code capuchin.acme.trust-ca}.
	 * @return the PEM file
	 */
	Path ownCertificate() {
		return this.directory.resolve("pebble.crt");
	}

	/**
	 * The root that Pebble signs with (made anew at each start).
	 * @return the root certificate
	 */
	X509Certificate root() {
		return managed("/roots/0");
	}

	/**
	 * The intermediate that signs the certificates Pebble issues (made anew at each
	 * start).
	 * @return the intermediate certificate
	 */
	X509Certificate intermediate() {
		return managed("/intermediates/0");
	}

	private X509Certificate managed(String path) {
		try {
			String pem = get("https://127.0.0.1:" + this.managementPort + path).body();
			return (X509Certificate) CertificateFactory.getInstance("X.509")
				.generateCertificate(new java.io.ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
		}
		catch (GeneralSecurityException | IOException | InterruptedException ex) {
			throw new IllegalStateException("pebble " + path + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * What Pebble's management interface says of a certificate it issued.
	 * @param serial the serial number, hexadecimal
	 * @return the JSON answer, whose {@code Status} is {@code Valid} or {@code Revoked}
	 */
	String certificateStatus(String serial) {
		try {
			return get("https://127.0.0.1:" + this.managementPort + "/cert-status-by-serial/" + serial).body();
		}
		catch (IOException | InterruptedException ex) {
			throw new IllegalStateException("pebble certificate status: " + ex.getMessage(), ex);
		}
	}

	private HttpResponse<String> get(String url) throws IOException, InterruptedException {
		HttpClient client = HttpClient.newBuilder()
			.sslContext(this.trustingPebble)
			.connectTimeout(Duration.ofSeconds(2))
			.build();
		return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * A free port on loopback.
	 * @return the port
	 */
	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Whether something listens on a loopback port.
	 * @param port the port
	 * @return whether a connection succeeds
	 */
	static boolean listening(int port) {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * A client TLS context that trusts exactly the given certificates.
	 * @param trusted the certificates
	 * @return the context
	 */
	static SSLContext trusting(Collection<X509Certificate> trusted) {
		try {
			KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
			store.load(null, null);
			int i = 0;
			for (X509Certificate certificate : trusted) {
				store.setCertificateEntry("trusted-" + i++, certificate);
			}
			TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			factory.init(store);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, factory.getTrustManagers(), new SecureRandom());
			return context;
		}
		catch (IOException | GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	// Pebble's own HTTPS certificate, for 127.0.0.1
	private static X509Certificate selfSigned(Path directory, String address) {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
			KeyPair keys = generator.generateKeyPair();
			X500Name subject = new X500Name("CN=pebble test");
			Instant now = Instant.now();
			JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
					BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofDays(1))),
					Date.from(now.plus(Duration.ofDays(30))), subject, keys.getPublic());
			List<GeneralName> names = new ArrayList<>();
			names.add(new GeneralName(GeneralName.iPAddress, address));
			names.add(new GeneralName(GeneralName.dNSName, "localhost"));
			builder.addExtension(Extension.subjectAlternativeName, false,
					new GeneralNames(names.toArray(GeneralName[]::new)));
			builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
			X509Certificate certificate = new JcaX509CertificateConverter()
				.getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
			write(directory.resolve("pebble.crt"), pem("CERTIFICATE", certificate.getEncoded()));
			write(directory.resolve("pebble.key"), pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
			return certificate;
		}
		catch (Exception ex) {
			throw new IllegalStateException("pebble's certificate: " + ex.getMessage(), ex);
		}
	}

	private static String pem(String type, byte[] der) {
		return "-----BEGIN " + type + "-----\n"
				+ Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
				+ "\n-----END " + type + "-----\n";
	}

	private static void write(Path file, String content) {
		try {
			Files.writeString(file, content, StandardCharsets.US_ASCII);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
