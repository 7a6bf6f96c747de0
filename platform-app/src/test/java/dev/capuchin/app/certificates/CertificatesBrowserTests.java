package dev.capuchin.app.certificates;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.capuchin.app.shared.console.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Certificates page in a real headless Chromium, against a node that orders from a
 * real Pebble: it lists the issued certificate, "Renew now" changes the serial shown and
 * served, a pair uploaded through the form is served over TLS, and every page of it has
 * no serious or critical axe-core violation at desktop and phone width.
 */
@EnabledIf("dev.capuchin.app.certificates.AcmeIssuanceTests#pebbleInstalled")
class CertificatesBrowserTests {

	@RegisterExtension
	static final Browser chromium = new Browser();

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
	void thePageListsTheIssuedCertificateAndRenewNowChangesTheSerialShown() throws Exception {
		String issued = acmeSerial();
		chromium.width(Browser.DESKTOP);
		open("/console/certificates");
		assertThat(chromium.driver().findElement(By.cssSelector("#console-nav a.active")).getText())
			.isEqualTo("Certificates");
		assertThat(text("#certificate-shop .certificate-names")).isEqualTo(AcmeTestSupport.SHOP);
		assertThat(text("#certificate-shop .certificate-source")).isEqualTo("ACME");
		assertThat(text("#certificate-shop .certificate-issuer")).startsWith("CN=Pebble Intermediate CA");
		assertThat(text("#certificate-shop .certificate-serial")).isEqualTo(issued);
		assertThat(text("#account-directory")).isEqualTo(pebble.directoryUrl());
		assertThat(text("#account-thumbprint")).matches("[A-Za-z0-9_-]{43}");
		chromium.accessible();
		chromium.width(Browser.PHONE);
		chromium.accessible();
		chromium.width(Browser.DESKTOP);

		chromium.click(By.cssSelector("#certificate-shop .certificate-renew"));
		assertThat(chromium.flash()).startsWith("Certificate of shop renewed: serial ");
		String renewed = text("#certificate-shop .certificate-serial");
		assertThat(renewed).isNotEqualTo(issued).isEqualTo(storedSerial());
		assertThat(AcmeTestSupport.servedSerial(AcmeTestSupport.tlsPort(node), AcmeTestSupport.SHOP,
				Pebble.trusting(List.of(pebble.root()))))
			.isEqualTo(renewed);

		open("/console/certificates/revoke?site=shop");
		chromium.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-revoke")));
		for (int width : List.of(Browser.DESKTOP, Browser.PHONE)) {
			chromium.width(width);
			chromium.accessible();
		}
		chromium.width(Browser.DESKTOP);
	}

	@Test
	void aPairUploadedThroughTheFormIsServedOverTls() throws Exception {
		acmeSerial();
		TestCertificates.Pair pair = TestCertificates.selfSigned(Instant.now().minus(Duration.ofDays(1)),
				Instant.now().plus(Duration.ofDays(30)), AcmeTestSupport.SHOP);
		chromium.width(Browser.DESKTOP);
		open("/console/certificates");
		chromium.click(By.id("upload"));
		chromium.until(ExpectedConditions.visibilityOfElementLocated(By.id("upload-form")));
		for (int width : List.of(Browser.DESKTOP, Browser.PHONE)) {
			chromium.width(width);
			chromium.accessible();
		}
		chromium.width(Browser.DESKTOP);
		// a wrong key first: refused beside its field, the certificate kept in the form
		TestCertificates.Pair other = TestCertificates.selfSigned(Instant.now(),
				Instant.now().plus(Duration.ofDays(30)), AcmeTestSupport.SHOP);
		fill(pair.certificatePem(), other.privateKeyPem());
		chromium.click(By.id("save-upload"));
		chromium.until(ExpectedConditions.visibilityOfElementLocated(By.id("private-key-error")));
		assertThat(text("#private-key-error")).startsWith("private-key: not the key of the certificate's public key");
		chromium.accessible();

		fill(pair.certificatePem(), pair.privateKeyPem());
		chromium.click(By.id("save-upload"));
		assertThat(chromium.flash()).startsWith("Certificate uploaded for shop: serial " + pair.serial());
		assertThat(text("#certificate-shop .certificate-source")).isEqualTo("uploaded");
		assertThat(AcmeTestSupport.https(AcmeTestSupport.tlsPort(node), AcmeTestSupport.SHOP,
				Pebble.trusting(List.of(pair.certificate()))))
			.startsWith("HTTP/1.1 200")
			.endsWith("shop");

		chromium.click(By.cssSelector("#certificate-shop .certificate-delete"));
		chromium.click(By.id("confirm-delete"));
		assertThat(chromium.flash()).startsWith("Uploaded certificate of shop deleted.");
		assertThat(text("#certificate-shop .certificate-source")).isEqualTo("ACME");
	}

	// the PEM text is set as a paste would, rather than typed key by key
	private static void fill(String certificate, String privateKey) {
		chromium.driver()
			.executeScript("document.getElementById('certificate').value = arguments[0];"
					+ "document.getElementById('private-key').value = arguments[1];", certificate, privateKey);
	}

	private static String text(String selector) {
		return chromium.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(selector))).getText();
	}

	private static void open(String path) {
		String url = control(path);
		chromium.driver().get(url);
		if (chromium.driver().getCurrentUrl().contains("/console/login")) {
			chromium.signIn("admin", "acme-tests-password");
			chromium.until(ExpectedConditions.urlToBe(url));
		}
	}

	private static String control(String path) {
		return "http://127.0.0.1:" + node.getEnvironment().getProperty("local.server.port") + path;
	}

	private static String acmeSerial() {
		JdbcTemplate store = node.getBean(JdbcTemplate.class);
		await().atMost(Duration.ofSeconds(60))
			.until(() -> store
				.queryForList("select serial from certificate where name = 'shop' and serial is not null "
						+ "and source = 'acme'", String.class)
				.size() == 1);
		return storedSerial();
	}

	private static String storedSerial() {
		return node.getBean(JdbcTemplate.class)
			.queryForObject("select serial from certificate where name = 'shop'", String.class);
	}

}
