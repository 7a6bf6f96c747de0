package dev.capuchin.app.certificates;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.capuchin.app.shared.console.Browser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

import static org.assertj.core.api.Assertions.assertThat;

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

	@RegisterExtension
	static final AcmeTestSupport acme = AcmeTestSupport.pebbleAndANode();

	@Test
	void thePageListsTheIssuedCertificateAndRenewNowChangesTheSerialShown() throws Exception {
		String issued = acme.awaitIssued();
		chromium.width(Browser.DESKTOP);
		open("/console/certificates");
		assertThat(chromium.driver().findElement(By.cssSelector("#console-nav a.active")).getText())
			.isEqualTo("Certificates");
		assertThat(text("#certificate-shop .certificate-names")).isEqualTo(AcmeTestSupport.SHOP);
		assertThat(text("#certificate-shop .certificate-source")).isEqualTo("ACME");
		assertThat(text("#certificate-shop .certificate-issuer")).startsWith("CN=Pebble Intermediate CA");
		assertThat(text("#certificate-shop .certificate-serial")).isEqualTo(issued);
		assertThat(text("#account-directory")).isEqualTo(acme.pebble().directoryUrl());
		assertThat(text("#account-thumbprint")).matches("[A-Za-z0-9_-]{43}");
		chromium.accessible();
		chromium.width(Browser.PHONE);
		chromium.accessible();
		chromium.width(Browser.DESKTOP);

		chromium.click(By.cssSelector("#certificate-shop .certificate-renew"));
		assertThat(chromium.flash()).startsWith("Certificate of shop renewed: serial ");
		String renewed = text("#certificate-shop .certificate-serial");
		assertThat(renewed).isNotEqualTo(issued).isEqualTo(acme.storedSerial());
		assertThat(acme.servedSerial()).isEqualTo(renewed);

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
		acme.awaitIssued();
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
		assertThat(AcmeTestSupport.https(acme.tlsPort(), AcmeTestSupport.SHOP,
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
		String url = acme.control(path);
		chromium.driver().get(url);
		if (chromium.driver().getCurrentUrl().contains("/console/login")) {
			chromium.signIn("admin", AcmeTestSupport.password());
			chromium.until(ExpectedConditions.urlToBe(url));
		}
	}

}
