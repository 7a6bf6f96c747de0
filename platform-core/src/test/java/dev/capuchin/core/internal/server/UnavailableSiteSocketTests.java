package dev.capuchin.core.internal.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import dev.capuchin.core.internal.site.SiteLoader;
import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.spi.Site;
import dev.capuchin.core.spi.SiteTable;
import dev.capuchin.core.testing.EveryTransport;
import dev.capuchin.core.testing.RawHttp;
import dev.capuchin.core.testing.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A site that cannot be served — its document root vanished, or its certificate cannot be
 * read — answers 503 while the node starts and serves every other site, on every
 * transport.
 */
@EveryTransport
class UnavailableSiteSocketTests {

	@TempDir
	Path temp;

	@Parameter
	Transport transport;

	private CapuchinServer server;

	@AfterEach
	void stop() {
		if (this.server != null) {
			this.server.stop();
		}
	}

	@Test
	void aNodeWithAMissingRootStartsAndServesTheOtherSite() throws IOException {
		start(SiteTable.of(List.of(site("shop", "shop.test", true, null), site("gone", "gone.test", false, null))),
				ListenerSettings.plain(new InetSocketAddress("127.0.0.1", 0)));
		assertThat(this.server.isRunning()).isTrue();
		RawHttp.Response response = get("shop.test");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.text()).isEqualTo("site shop");
	}

	@Test
	void aSiteWhoseRootIsMissingAnswers503ToItsNames() throws IOException {
		SiteTable table = SiteTable
			.of(List.of(site("shop", "shop.test", true, null), site("gone", "gone.test", false, null)));
		start(table, ListenerSettings.plain(new InetSocketAddress("127.0.0.1", 0)));
		assertThat(table.unavailable()).containsOnlyKeys("gone");
		assertThat(table.unavailable().get("gone"))
			.isEqualTo("document-root: " + this.temp.resolve("gone") + " (expected: an existing directory)");
		RawHttp.Response response = get("gone.test");
		assertThat(response.status()).isEqualTo(503);
		assertThat(response.text()).doesNotContain("site shop");
	}

	@Test
	void aRootThatComesBackIsServedFromTheNextTable() throws IOException {
		start(SiteTable.of(List.of(site("shop", "shop.test", true, null), site("gone", "gone.test", false, null))),
				ListenerSettings.plain(new InetSocketAddress("127.0.0.1", 0)));
		assertThat(get("gone.test").status()).isEqualTo(503);
		createRoot("gone");
		this.server.sites(SiteTable.of(this.server.sites().sites()));
		assertThat(this.server.sites().unavailable()).isEmpty();
		RawHttp.Response response = get("gone.test");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.text()).isEqualTo("site gone");
	}

	@Test
	void aSiteWithAnUnreadableCertificateDoesNotStopTheOthers() throws Exception {
		Path certificates = this.temp.resolve("certificates");
		TestCertificates.Issued listener = TestCertificates.issue(certificates, "localhost", "127.0.0.1");
		TestCertificates.Issued shop = TestCertificates.issue(certificates, "shop.test");
		TestCertificates.Issued broken = TestCertificates.issue(certificates, "broken.test");
		createRoot("broken");
		Files.delete(broken.certificateFile());
		SiteTable table = SiteTable
			.of(List.of(site("shop", "shop.test", true, shop), site("broken", "broken.test", false, broken)));
		start(table, ListenerSettings.plain(new InetSocketAddress("127.0.0.1", 0)).withTls(listener.tls(), false));
		assertThat(table.unavailable()).containsOnlyKeys("broken");
		assertThat(table.unavailable().get("broken")).startsWith("tls.certificate: " + broken.certificateFile());
		SSLContext client = TestCertificates.trusting(List.of(listener.certificate(), shop.certificate()));
		try (SSLSocket socket = connect(client, "shop.test"); RawHttp http = RawHttp.over(socket)) {
			assertThat(peer(socket)).isEqualTo(shop.certificate());
			RawHttp.Response response = http.exchange(RawHttp.get("/who.txt", "shop.test"));
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.text()).isEqualTo("site shop");
		}
		// a new client, so that no session of the first connection is resumed
		client = TestCertificates.trusting(List.of(listener.certificate(), shop.certificate()));
		try (SSLSocket socket = connect(client, "broken.test"); RawHttp http = RawHttp.over(socket)) {
			assertThat(peer(socket)).as("the listener's certificate").isEqualTo(listener.certificate());
			assertThat(http.exchange(RawHttp.get("/who.txt", "broken.test")).status()).isEqualTo(503);
		}
	}

	@Test
	void aSiteWhoseCertificateIsNotPemAnswers503WithTheListenerCertificate() throws Exception {
		Path certificates = this.temp.resolve("certificates");
		TestCertificates.Issued listener = TestCertificates.issue(certificates, "localhost", "127.0.0.1");
		TestCertificates.Issued broken = TestCertificates.issue(certificates, "broken.test");
		createRoot("broken");
		Files.writeString(broken.certificateFile(), "not a certificate");
		SiteTable table = SiteTable
			.of(List.of(site("shop", "shop.test", true, null), site("broken", "broken.test", false, broken)));
		start(table, ListenerSettings.plain(new InetSocketAddress("127.0.0.1", 0)).withTls(listener.tls(), false));
		assertThat(table.unavailable().get("broken"))
			.isEqualTo("tls.certificate: " + broken.certificateFile() + " (expected: a PEM certificate chain)");
		SSLContext client = TestCertificates.trusting(List.of(listener.certificate()));
		try (SSLSocket socket = connect(client, "broken.test"); RawHttp http = RawHttp.over(socket)) {
			assertThat(peer(socket)).isEqualTo(listener.certificate());
			assertThat(http.exchange(RawHttp.get("/who.txt", "broken.test")).status()).isEqualTo(503);
		}
	}

	private void start(SiteTable table, ListenerSettings listener) {
		assumeTrue(this.transport.isAvailable(), () -> this.transport.configName() + " is not available here");
		ServerSettings settings = ServerSettings.of(List.of(listener), 1).withTransport(this.transport.configName());
		this.server = new CapuchinServer(settings, table, List.of());
		this.server.start();
	}

	/**
	 * A site read as the store reads it: a root or certificate that is missing does not
	 * refuse it. Only the first site's root is created.
	 */
	private Site site(String name, String serverName, boolean isDefault, TestCertificates.Issued certificate)
			throws IOException {
		if (isDefault) {
			createRoot(name);
		}
		Map<String, Object> keys = new LinkedHashMap<>();
		keys.put("name", name);
		keys.put("server-names", List.of(serverName));
		keys.put("default", isDefault);
		keys.put("document-root", name);
		if (certificate != null) {
			keys.put("tls", Map.of("certificate", certificate.certificateFile().toString(), "private-key",
					certificate.privateKeyFile().toString()));
		}
		return new SiteLoader(this.temp, SiteLoader.MissingFiles.ALLOW).parse(keys, name);
	}

	private void createRoot(String name) throws IOException {
		Path root = Files.createDirectories(this.temp.resolve(name));
		Files.writeString(root.resolve("who.txt"), "site " + name, StandardCharsets.UTF_8);
	}

	private RawHttp.Response get(String host) throws IOException {
		try (RawHttp http = RawHttp.connect(address())) {
			return http.exchange("GET /who.txt HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
		}
	}

	private InetSocketAddress address() {
		return new InetSocketAddress("127.0.0.1", this.server.boundAddresses().get(0).getPort());
	}

	private SSLSocket connect(SSLContext client, String serverName) throws IOException {
		SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket();
		socket.connect(address(), 5000);
		SSLParameters parameters = socket.getSSLParameters();
		parameters.setServerNames(List.of(new SNIHostName(serverName)));
		socket.setSSLParameters(parameters);
		socket.setSoTimeout(10_000);
		socket.startHandshake();
		return socket;
	}

	private static X509Certificate peer(SSLSocket socket) throws IOException {
		return (X509Certificate) socket.getSession().getPeerCertificates()[0];
	}

}
