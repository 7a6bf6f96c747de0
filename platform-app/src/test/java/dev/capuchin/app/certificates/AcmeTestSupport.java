package dev.capuchin.app.certificates;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import dev.capuchin.app.CapuchinApplication;
import dev.capuchin.app.TestApplication;
import dev.capuchin.core.internal.server.CapuchinServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the ACME tests share: a node with a plain-HTTP listener on a known port (where
 * Pebble validates) and an ACME TLS listener, a site {@code shop} with {@code tls: {acme:
 * true}} on {@code shop.example.com}, and an HTTPS GET that names a site by SNI and
 * checks the certificate's chain and name. As an extension registered on a static field
 * ({@link #pebbleAndANode()}), it starts a Pebble and such a node before the class's
 * tests and stops them after, so that a test class reads as its behaviour only.
 */
final class AcmeTestSupport implements BeforeAllCallback, AfterAllCallback {

	static final String SHOP = "shop.example.com";

	/** How long an order and its validations may take on a busy machine. */
	static final Duration ISSUANCE = Duration.ofSeconds(60);

	private static final String PASSWORD = "acme-tests-password";

	private Duration lifetime = Duration.ofDays(90);

	private boolean caUpAtStart = true;

	private List<String> refused = List.of();

	private boolean tlsAlpn01;

	private final List<String> arguments = new ArrayList<>();

	private String shopKeys = "redirect-https: true\ntls: {acme: true}\n";

	private FileWriter beforeStart = (directory) -> {
	};

	private Path temp;

	private Pebble pebble;

	private ConfigurableApplicationContext node;

	private AcmeTestSupport() {
	}

	/**
	 * A Pebble issuing 90-day certificates by HTTP-01, up before a node that orders from
	 * it; both run for the class's tests.
	 * @return the extension, to register on a static field
	 */
	static AcmeTestSupport pebbleAndANode() {
		return new AcmeTestSupport();
	}

	/**
	 * Certificates that live this long.
	 * @param lifetime their lifetime
	 * @return this extension
	 */
	AcmeTestSupport lifetime(Duration lifetime) {
		this.lifetime = lifetime;
		return this;
	}

	/**
	 * A CA that is down when the node starts, until {@code pebble().start()}.
	 * @return this extension
	 */
	AcmeTestSupport caDownAtStart() {
		this.caUpAtStart = false;
		return this;
	}

	/**
	 * A CA that refuses orders for some names ({@code rejectedIdentifier}), until it is
	 * restarted with another list.
	 * @param names the names refused
	 * @return this extension
	 */
	AcmeTestSupport refusing(String... names) {
		this.refused = List.of(names);
		return this;
	}

	/**
	 * Names proved by TLS-ALPN-01 only: Pebble's validations go to the node's ACME TLS
	 * listener, and nothing listens where it would validate HTTP-01.
	 * @return this extension
	 */
	AcmeTestSupport provedByTlsAlpn01() {
		this.tlsAlpn01 = true;
		return this;
	}

	/**
	 * More {@code --key=value} arguments for the node, replacing the defaults of the same
	 * keys.
	 * @param more the arguments
	 * @return this extension
	 */
	AcmeTestSupport with(String... more) {
		this.arguments.addAll(Arrays.asList(more));
		return this;
	}

	/**
	 * A site {@code shop} of other settings.
	 * @param keys its site file lines after its document root
	 * @return this extension
	 */
	AcmeTestSupport shopKeys(String keys) {
		this.shopKeys = keys;
		return this;
	}

	/**
	 * Something to write before the node starts, such as more site files under
	 * {@code sites/}.
	 * @param writer given the class's directory
	 * @return this extension
	 */
	AcmeTestSupport beforeStart(FileWriter writer) {
		this.beforeStart = writer;
		return this;
	}

	@Override
	public void beforeAll(ExtensionContext context) throws Exception {
		this.temp = Files.createTempDirectory("capuchin-acme-");
		List<String> more = new ArrayList<>();
		int httpPort = Pebble.freePort();
		if (this.tlsAlpn01) {
			int tlsPort = Pebble.freePort();
			// httpPort is where Pebble would validate HTTP-01: the node listens elsewhere
			this.pebble = Pebble.create(this.temp, httpPort, tlsPort, this.lifetime);
			httpPort = Pebble.freePort();
			more.add("--capuchin.server.listeners[1].address=127.0.0.1:" + tlsPort);
			more.add("--capuchin.acme.challenge=tls-alpn-01");
		}
		else {
			this.pebble = Pebble.create(this.temp, httpPort, this.lifetime);
		}
		if (!this.refused.isEmpty()) {
			this.pebble.refuse(this.refused);
		}
		if (this.caUpAtStart) {
			this.pebble.start();
		}
		more.addAll(this.arguments);
		this.beforeStart.write(this.temp);
		this.node = startWithShop(this.temp, this.pebble, httpPort, this.shopKeys, more.toArray(String[]::new));
	}

	@Override
	public void afterAll(ExtensionContext context) throws IOException {
		try {
			if (this.node != null) {
				this.node.close();
			}
		}
		finally {
			if (this.pebble != null) {
				this.pebble.close();
			}
			FileSystemUtils.deleteRecursively(this.temp);
		}
	}

	/**
	 * The CA.
	 * @return the Pebble
	 */
	Pebble pebble() {
		return this.pebble;
	}

	/**
	 * The node.
	 * @return its application context
	 */
	ConfigurableApplicationContext node() {
		return this.node;
	}

	/**
	 * The node's store.
	 * @return the store
	 */
	JdbcTemplate store() {
		return this.node.getBean(JdbcTemplate.class);
	}

	/**
	 * A directory of the class's own, removed after its tests.
	 * @return the directory
	 */
	Path temp() {
		return this.temp;
	}

	/**
	 * The bound port of the node's plain-HTTP listener, where the CA validates HTTP-01.
	 * @return the port
	 */
	int httpPort() {
		return this.node.getBean(CapuchinServer.class).boundAddresses().get(0).getPort();
	}

	/**
	 * The bound port of the node's ACME TLS listener.
	 * @return the port
	 */
	int tlsPort() {
		return tlsPort(this.node);
	}

	/**
	 * A client context that trusts Pebble's root of the moment (made anew at each start
	 * of Pebble).
	 * @return the context
	 */
	SSLContext trustingPebble() {
		return Pebble.trusting(List.of(this.pebble.root()));
	}

	/**
	 * A GET of {@code shop} over TLS, trusting Pebble's root only.
	 * @return the whole response
	 * @throws IOException when the handshake or the exchange fails
	 */
	String https() throws IOException {
		return https(tlsPort(), SHOP, trustingPebble());
	}

	/**
	 * The serial number of the certificate the node shows for {@code shop}, trusting
	 * Pebble's root only.
	 * @return the serial, hexadecimal
	 * @throws IOException when the handshake fails
	 */
	String servedSerial() throws IOException {
		return servedSerial(tlsPort(), SHOP, trustingPebble());
	}

	/**
	 * Wait until {@code shop} is served over HTTPS with a certificate Pebble issued.
	 * @return the response
	 */
	String awaitServed() {
		SSLContext trust = trustingPebble();
		String[] response = new String[1];
		await().atMost(ISSUANCE).pollInterval(Duration.ofMillis(250)).ignoreExceptions().untilAsserted(() -> {
			response[0] = https(tlsPort(), SHOP, trust);
			assertThat(response[0]).startsWith("HTTP/1.1 200").endsWith("shop");
		});
		return response[0];
	}

	/**
	 * Wait until the store holds an ACME certificate for {@code shop}.
	 * @return its serial, hexadecimal
	 */
	String awaitIssued() {
		await().atMost(ISSUANCE)
			.until(() -> store()
				.queryForList("select serial from certificate where name = 'shop' and serial is not null "
						+ "and source = 'acme'", String.class)
				.size() == 1);
		return storedSerial();
	}

	/**
	 * The serial of the certificate stored for {@code shop}.
	 * @return the serial, or {@code null} while none is issued
	 */
	String storedSerial() {
		return store().queryForObject("select serial from certificate where name = 'shop'", String.class);
	}

	/**
	 * A URL of the node's control plane.
	 * @param path the path, from {@code /}
	 * @return the URL
	 */
	String control(String path) {
		return "http://127.0.0.1:" + this.node.getEnvironment().getProperty("local.server.port") + path;
	}

	/**
	 * The admin's password on the node.
	 * @return the password
	 */
	static String password() {
		return PASSWORD;
	}

	/**
	 * Start a node ordering from a Pebble.
	 * @param temp the test's directory
	 * @param pebble the CA, running or not
	 * @param httpPort the plain-HTTP listener's port
	 * @param more more {@code --key=value} arguments, replacing the defaults of the same
	 * keys
	 * @return the running node
	 * @throws IOException when the site files cannot be written
	 */
	static ConfigurableApplicationContext start(Path temp, Pebble pebble, int httpPort, String... more)
			throws IOException {
		return startWithShop(temp, pebble, httpPort, "redirect-https: true\ntls: {acme: true}\n", more);
	}

	/**
	 * Start a node ordering from a Pebble, with a site {@code shop} of other settings.
	 * @param temp the test's directory
	 * @param pebble the CA, running or not
	 * @param httpPort the plain-HTTP listener's port
	 * @param shopKeys the site file lines of {@code shop} after its document root
	 * @param more more {@code --key=value} arguments, replacing the defaults of the same
	 * keys
	 * @return the running node
	 * @throws IOException when the site files cannot be written
	 */
	static ConfigurableApplicationContext startWithShop(Path temp, Pebble pebble, int httpPort, String shopKeys,
			String... more) throws IOException {
		Path root = temp.resolve("shop");
		TestApplication.write(root.resolve("index.html"), "shop");
		Path sites = TestApplication.defaultSite(temp, temp, "");
		TestApplication.write(sites.resolve("shop.yml"),
				"name: shop\nserver-names: [" + SHOP + "]\n" + "document-root: " + root + "\n" + shopKeys);
		List<String> arguments = new ArrayList<>(List.of(
				"--spring.datasource.url=jdbc:h2:file:" + temp.resolve("store/capuchin") + ";AUTO_SERVER=TRUE",
				"--capuchin.sites-dir=" + sites, "--capuchin.server.listeners[0].address=127.0.0.1:" + httpPort,
				"--capuchin.server.listeners[1].address=127.0.0.1:0", "--capuchin.server.listeners[1].tls.acme=true",
				"--capuchin.server.workers=1", "--server.port=0", "--CAPUCHIN_ADMIN_PASSWORD=" + PASSWORD,
				"--capuchin.identity.master-key-file=" + temp.resolve("master.key"),
				"--capuchin.acme.directory=" + pebble.directoryUrl(), "--capuchin.acme.email=admin@example.test",
				"--capuchin.acme.accept-terms=true", "--capuchin.acme.trust-ca=" + pebble.ownCertificate(),
				"--capuchin.acme.storage=" + temp.resolve("acme"), "--capuchin.acme.check-interval=500ms",
				"--capuchin.acme.retry-min=500ms", "--capuchin.acme.retry-max=2s"));
		for (String argument : more) {
			// an argument given here replaces the default of the same key
			String key = argument.substring(0, argument.indexOf('=') + 1);
			arguments.removeIf((given) -> given.startsWith(key));
			arguments.add(argument);
		}
		return new SpringApplicationBuilder(CapuchinApplication.class).run(arguments.toArray(String[]::new));
	}

	/**
	 * The bound port of the ACME TLS listener.
	 * @param node the node
	 * @return the port
	 */
	static int tlsPort(ConfigurableApplicationContext node) {
		return node.getBean(CapuchinServer.class).boundAddresses().get(1).getPort();
	}

	/**
	 * The serial number of the certificate a TLS listener shows for a name.
	 * @param port the TLS port on 127.0.0.1
	 * @param host the site's name
	 * @param trust the client's trust
	 * @return the leaf certificate's serial, hexadecimal
	 * @throws IOException when the handshake fails
	 */
	static String servedSerial(int port, String host, SSLContext trust) throws IOException {
		try (Socket plain = new Socket("127.0.0.1", port)) {
			plain.setSoTimeout(10_000);
			SSLSocket socket = (SSLSocket) trust.getSocketFactory().createSocket(plain, host, port, true);
			socket.startHandshake();
			return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber().toString(16);
		}
	}

	/**
	 * A GET over TLS, naming {@code host} by SNI and checking the certificate against
	 * {@code trust} and {@code host}.
	 * @param port the TLS port on 127.0.0.1
	 * @param host the site's name
	 * @param trust the client's trust
	 * @return the whole response
	 * @throws IOException when the handshake or the exchange fails
	 */
	static String https(int port, String host, SSLContext trust) throws IOException {
		try (Socket plain = new Socket("127.0.0.1", port)) {
			plain.setSoTimeout(10_000);
			SSLSocket socket = (SSLSocket) trust.getSocketFactory().createSocket(plain, host, port, true);
			SSLParameters parameters = socket.getSSLParameters();
			parameters.setEndpointIdentificationAlgorithm("HTTPS");
			socket.setSSLParameters(parameters);
			socket.startHandshake();
			OutputStream out = socket.getOutputStream();
			out.write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	/** What writes files into a test class's directory. */
	@FunctionalInterface
	interface FileWriter {

		/**
		 * Write.
		 * @param directory the class's directory
		 * @throws IOException when a file cannot be written
		 */
		void write(Path directory) throws IOException;

	}

}
