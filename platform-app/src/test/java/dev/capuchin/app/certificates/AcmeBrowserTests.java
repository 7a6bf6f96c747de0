package dev.capuchin.app.certificates;

import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Base64;

import dev.capuchin.app.shared.console.HeadlessChromium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Headless Chromium loads an ACME site over HTTPS with the certificate Pebble issued.
 * Chromium trusts Pebble's issuing keys through
 * {@code --ignore-certificate-errors-spki-list} (the root's and the intermediate's
 * public-key hashes; the switch applies only with a profile directory of its own), and
 * resolves the site's name to loopback through {@code --host-resolver-rules}. Any other
 * certificate, the pending one included, shows Chromium's warning page instead.
 */
@EnabledIf("dev.capuchin.app.certificates.AcmeIssuanceTests#pebbleInstalled")
class AcmeBrowserTests {

	@RegisterExtension
	static final AcmeTestSupport acme = AcmeTestSupport.pebbleAndANode();

	@Test
	void chromiumLoadsAnAcmeSiteOverHttps() throws Exception {
		acme.awaitServed();
		String spki = spkiHash(acme.pebble().root()) + "," + spkiHash(acme.pebble().intermediate());
		ChromeDriver chromium = HeadlessChromium.start(Files.createDirectories(acme.temp().resolve("chromium")),
				"--ignore-certificate-errors-spki-list=" + spki,
				"--host-resolver-rules=MAP " + AcmeTestSupport.SHOP + " 127.0.0.1");
		try {
			chromium.get("https://" + AcmeTestSupport.SHOP + ":" + acme.tlsPort() + "/");
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
