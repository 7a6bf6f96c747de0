package dev.capuchin.app.certificates;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import java.security.cert.X509Certificate;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import dev.capuchin.app.CapuchinApplication;
import dev.capuchin.app.TestApplication;
import dev.capuchin.core.internal.server.CapuchinServer;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What the ACME tests share: a node with a plain-HTTP listener on a known port (where
 * Pebble validates) and an ACME TLS listener, a site {@code shop} with {@code tls: {acme:
 * true}} on {@code shop.example.com}, and an HTTPS GET that names a site by SNI and
 * checks the certificate's chain and name.
 */
final class AcmeTestSupport {

	static final String SHOP = "shop.example.com";

	private AcmeTestSupport() {
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
		Path root = temp.resolve("shop");
		TestApplication.write(root.resolve("index.html"), "shop");
		Path sites = TestApplication.defaultSite(temp, temp, "");
		TestApplication.write(sites.resolve("shop.yml"), "name: shop\nserver-names: [" + SHOP + "]\n"
				+ "document-root: " + root + "\nredirect-https: true\ntls: {acme: true}\n");
		List<String> arguments = new ArrayList<>(List.of(
				"--spring.datasource.url=jdbc:h2:file:" + temp.resolve("store/capuchin") + ";AUTO_SERVER=TRUE",
				"--capuchin.sites-dir=" + sites, "--capuchin.server.listeners[0].address=127.0.0.1:" + httpPort,
				"--capuchin.server.listeners[1].address=127.0.0.1:0", "--capuchin.server.listeners[1].tls.acme=true",
				"--capuchin.server.workers=1", "--server.port=0", "--CAPUCHIN_ADMIN_PASSWORD=acme-tests-password",
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

}
