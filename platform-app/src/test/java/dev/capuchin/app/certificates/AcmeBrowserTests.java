package dev.capuchin.app.certificates;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import javax.net.ssl.SSLContext;

import dev.capuchin.app.shared.console.HeadlessChromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Headless Chromium loads an ACME site over HTTPS with the certificate Pebble issued.
 * Chromium trusts Pebble's issuing keys through
 * {@code --ignore-certificate-errors-spki-list} (the root's and the intermediate's
 * public-key hashes; the switch applies only with a profile directory of its own), and
 * resolves the site's name to loopback through {@code --host-resolver-rules}. Any other
 * certificate, the placeholder included, shows Chromium's warning page instead.
 */
@EnabledIf("dev.capuchin.app.certificates.AcmeIssuanceTests#pebbleInstalled")
class AcmeBrowserTests {

	@TempDir
	static Path temp;

	private static Pebble pebble;

	private static ConfigurableApplicationContext node;

	@BeforeAll
	static void startPebbleAndANode() throws Exception {
		int httpPort = Pebble.freePort();
		pebble = Pebble.create(temp, httpPort, Duration.ofDays(90));
		pebble.start();
		node = AcmeTestSupport.start(temp, pebble, httpPort);
	}

	@AfterAll
	static void stopThem() {
		if (node != null) {
			node.close();
		}
		if (pebble != null) {
			pebble.close();
		}
	}

	@Test
	void chromiumLoadsAnAcmeSiteOverHttps() throws Exception {
		X509Certificate root = pebble.root();
		SSLContext trustingPebble = Pebble.trusting(List.of(root));
		int port = AcmeTestSupport.tlsPort(node);
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(250))
			.ignoreExceptions()
			.until(() -> AcmeTestSupport.https(port, AcmeTestSupport.SHOP, trustingPebble).endsWith("shop"));
		String spki = spkiHash(root) + "," + spkiHash(pebble.intermediate());
		ChromeDriver chromium = HeadlessChromium.start(Files.createDirectories(temp.resolve("chromium")),
				"--ignore-certificate-errors-spki-list=" + spki,
				"--host-resolver-rules=MAP " + AcmeTestSupport.SHOP + " 127.0.0.1");
		try {
			chromium.get("https://" + AcmeTestSupport.SHOP + ":" + port + "/");
			assertThat(chromium.getCurrentUrl()).startsWith("https://" + AcmeTestSupport.SHOP);
			assertThat(chromium.findElement(By.tagName("body")).getText()).isEqualTo("shop");
		}
		finally {
			chromium.quit();
		}
	}

	// what Chromium's switch takes: Base64 of the SHA-256 of the SubjectPublicKeyInfo
	private static String spkiHash(X509Certificate certificate) throws Exception {
		return Base64.getEncoder()
			.encodeToString(MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded()));
	}

}
