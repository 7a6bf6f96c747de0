package dev.capuchin.app.shared.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.app.sites.SiteEntry;
import dev.capuchin.core.spi.Location;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console in a real headless Chromium, one journey in order: sign in, watch the
 * dashboard, create a site and see the data plane serve it, add a location with a plugin
 * block, change a field and see it live, get a refusal beside its field, export, import
 * through the dry-run page, delete the site, sign out. With the system property
 * {@code capuchin.screenshots} set, it saves the screenshots of the README to
 * {@code docs/screenshots} (or to the directory the property names). It has a store of
 * its own, so the screenshots show only its sites.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestPropertySource(properties = "capuchin.test.database=console-browser")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTests extends ConsoleTestSupport {

	@RegisterExtension
	static final Browser chromium = new Browser();

	@Autowired
	ConfigService config;

	private Path shopOne;

	private Path shopTwo;

	private Path shopThree;

	@BeforeAll
	void documentRoots() {
		this.shopOne = documentRoot("shop-one", "shop one");
		this.shopTwo = documentRoot("shop-two", "shop two");
		this.shopThree = documentRoot("shop-three", "shop three");
	}

	@Test
	@Order(1)
	void aWrongPasswordShowsAnError() {
		chromium.driver().get(control("/console/"));
		chromium.until(ExpectedConditions.urlContains("/console/login"));
		chromium.signIn("admin", "not-the-password");
		WebElement error = chromium.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-error")));
		assertThat(error.getText()).contains("Wrong user name or password");
	}

	@Test
	@Order(2)
	void theRightPasswordLandsOnTheDashboard() {
		chromium.signIn("admin", PASSWORD);
		chromium.until(ExpectedConditions.urlToBe(control("/console/")));
		assertThat(chromium.driver().findElement(By.tagName("h1")).getText()).isEqualTo("Dashboard");
		assertThat(chromium.driver().findElement(By.id("transport")).getText()).isIn("epoll", "nio", "io-uring");
		assertThat(chromium.driver().findElements(By.cssSelector("#workers tbody tr"))).hasSize(2);
		chromium.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#requests-chart .uplot canvas")));
	}

	@Test
	@Order(3)
	void aNewSiteIsServedByTheDataPlane() throws Exception {
		chromium.driver().get(control("/console/sites"));
		chromium.click(By.id("new-site"));
		chromium.type(By.id("name"), "shop");
		chromium.type(By.id("serverNames"), "shop.test");
		chromium.type(By.id("documentRoot"), this.shopOne.toString());
		chromium.click(By.id("save-site"));
		chromium.until(ExpectedConditions.urlToBe(control("/console/sites/shop")));
		assertThat(chromium.flash()).contains("Site shop created");
		Response served = dataPlane("shop.test", "/");
		assertThat(served.statusCode()).isEqualTo(200);
		assertThat(served.body()).isEqualTo("shop one");
		chromium.driver().get(control("/console/sites"));
		assertThat(chromium.driver().findElement(By.id("site-shop")).getText()).contains("shop.test", "served");
	}

	@Test
	@Order(4)
	void theDashboardShowsLiveWorkersRequestRatesAndErrors() throws Exception {
		AtomicBoolean running = new AtomicBoolean(true);
		Thread traffic = new Thread(() -> {
			long end = System.nanoTime() + Duration.ofSeconds(12).toNanos();
			int i = 0;
			while (running.get() && System.nanoTime() < end) {
				try {
					dataPlane(((i++ % 3) == 0) ? "localhost" : "shop.test", "/");
					// the traffic's pace is the stimulus, not a wait for the console
					Thread.sleep(15);
				}
				catch (Exception ex) {
					return;
				}
			}
		});
		traffic.start();
		try {
			chromium.driver().get(control("/console/"));
			// an error after the page loaded reaches it through the htmx poll
			assertThat(rawRequest("BREW /pot HTTP/1.1\r\nHost: shop.test\r\n\r\n")).startsWith("HTTP/1.1 501");
			chromium.until(ExpectedConditions.textToBePresentInElementLocated(By.id("errors"), "BREW /pot"));
			assertThat(chromium.driver().findElement(By.id("errors")).getText()).contains("shop", "501");
			chromium.until((driver) -> driver.findElements(By.cssSelector("#requests-chart .u-legend .u-series"))
				.stream()
				.anyMatch((series) -> series.getText().contains("shop")));
			chromium.until((driver) -> Long.parseLong(driver.findElement(By.id("total-connections")).getText()) >= 0
					&& !driver.findElement(By.cssSelector("#workers tbody")).getText().contains(" 0 0 "));
			// the chart draws a line once it holds two polls' worth of rates
			chromium.until((driver) -> !driver.findElement(By.id("requests-empty")).isDisplayed());
		}
		finally {
			running.set(false);
			traffic.join();
		}
	}

	@Test
	@Order(5)
	void aLocationKeepsItsPluginBlock() {
		chromium.driver().get(control("/console/sites/shop"));
		chromium.click(By.id("add-location"));
		chromium.type(By.id("value"), "/private/");
		chromium.type(By.id("settings"), "note:\n  x: 1\n");
		chromium.click(By.id("save-location"));
		chromium.until(ExpectedConditions.urlContains("/console/sites/shop"));
		assertThat(chromium.flash()).contains("Location added");
		WebElement location = chromium.driver().findElement(By.id("location-0"));
		assertThat(location.getText()).contains("/private/", "note");
		Location stored = shop().site().locations().get(0);
		assertThat(stored.path()).isEqualTo("/private/");
		assertThat(stored.settings()).isEqualTo(Map.of("note", Map.of("x", 1)));
		chromium.driver().manage().window().setSize(new Dimension(1280, 1900));
		((JavascriptExecutor) chromium.driver()).executeScript("window.scrollTo(0, 0);");
		HeadlessChromium.screenshot(chromium.driver(), "site-editor");
		chromium.driver().manage().window().setSize(new Dimension(1280, 900));
		chromium.driver().get(control("/console/sites/shop/locations/0"));
		assertThat(chromium.driver().findElement(By.id("settings")).getDomProperty("value"))
			.isEqualTo("note:\n  x: 1\n");
	}

	@Test
	@Order(6)
	void aChangedFieldIsLive() throws Exception {
		chromium.driver().get(control("/console/sites/shop"));
		chromium.type(By.id("documentRoot"), this.shopTwo.toString());
		chromium.click(By.id("save-site"));
		chromium.until(ExpectedConditions.visibilityOfElementLocated(By.id("flash")));
		assertThat(chromium.flash()).contains("Site shop saved");
		assertThat(dataPlane("shop.test", "/").body()).isEqualTo("shop two");
	}

	@Test
	@Order(7)
	void anInvalidDocumentRootIsRefusedBesideTheFieldAndTheFormKeepsWhatWasTyped() throws Exception {
		chromium.driver().get(control("/console/sites/shop"));
		String missing = TEMP.resolve("missing").toString();
		chromium.type(By.id("serverNames"), "shop.test www.shop.test");
		chromium.type(By.id("documentRoot"), missing);
		chromium.click(By.id("precompressed"));
		chromium.click(By.id("save-site"));
		WebElement error = chromium.until(ExpectedConditions.visibilityOfElementLocated(By.id("documentRoot-error")));
		assertThat(error.getText()).contains("document-root:", "expected: an existing directory");
		assertThat(chromium.driver().findElement(By.id("documentRoot")).getDomProperty("value")).isEqualTo(missing);
		assertThat(chromium.driver().findElement(By.id("serverNames")).getDomProperty("value"))
			.isEqualTo("shop.test www.shop.test");
		assertThat(chromium.driver().findElement(By.id("precompressed")).isSelected()).isFalse();
		assertThat(dataPlane("shop.test", "/").body()).isEqualTo("shop two");
		assertThat(dataPlane("www.shop.test", "/").body()).isEqualTo("<h1>default</h1>");
	}

	@Test
	@Order(8)
	void theExportIsTheWholeConfigurationAsYaml() throws Exception {
		chromium.driver().get(control("/console/transfer"));
		WebElement link = chromium.driver().findElement(By.id("export"));
		assertThat(link.getDomAttribute("href")).isEqualTo("/console/export");
		HttpResponse<String> export = withSession("/console/export");
		assertThat(export.statusCode()).isEqualTo(200);
		assertThat(export.headers().firstValue("content-disposition"))
			.hasValueSatisfying((value) -> assertThat(value).startsWith("attachment"));
		assertThat(export.body()).contains("name: shop", "document-root: " + this.shopTwo, "note:");
	}

	@Test
	@Order(9)
	void anImportIsShownAsADifferenceThenApplied() throws Exception {
		String modified = withSession("/console/export").body()
			.replace(this.shopTwo.toString(), this.shopThree.toString());
		chromium.driver().get(control("/console/transfer"));
		WebElement document = chromium.driver().findElement(By.id("document"));
		((JavascriptExecutor) chromium.driver()).executeScript("arguments[0].value = arguments[1];", document,
				modified);
		chromium.click(By.id("check-import"));
		WebElement changes = chromium.until(ExpectedConditions.visibilityOfElementLocated(By.id("import-changes")));
		assertThat(changes.getText()).contains("changed", "site shop", this.shopThree.toString());
		assertThat(changes.findElements(By.cssSelector("tr.console-diff-removed"))).isNotEmpty();
		assertThat(dataPlane("shop.test", "/").body()).isEqualTo("shop two");
		chromium.click(By.id("apply-import"));
		chromium.until(ExpectedConditions.urlToBe(control("/console/sites")));
		assertThat(chromium.flash()).contains("Imported: 1 site change(s)");
		assertThat(dataPlane("shop.test", "/").body()).isEqualTo("shop three");
	}

	@Test
	@Order(10)
	void theAuditLogShowsWhoChangedWhatWithTheDifference() {
		chromium.driver().get(control("/console/audit"));
		WebElement newest = chromium.driver().findElement(By.cssSelector("#audit-entries > li"));
		assertThat(newest.getText()).contains("changed", "field document-root on shop", "admin");
		newest.findElement(By.tagName("summary")).click();
		WebElement added = chromium
			.until(ExpectedConditions.visibilityOf(newest.findElement(By.cssSelector("tr.console-diff-added"))));
		assertThat(added.getText()).contains(this.shopThree.toString());
	}

	@Test
	@Order(11)
	void aSiteIsDeletedAfterConfirmation() throws Exception {
		chromium.driver().get(control("/console/sites"));
		chromium.click(By.cssSelector("#site-shop a[href='/console/sites/shop/delete']"));
		chromium.until(ExpectedConditions.urlToBe(control("/console/sites/shop/delete")));
		assertThat(chromium.driver().findElement(By.tagName("h1")).getText()).isEqualTo("Delete site shop?");
		assertThat(dataPlane("shop.test", "/").body()).isEqualTo("shop three");
		chromium.click(By.id("confirm-delete"));
		chromium.until(ExpectedConditions.urlToBe(control("/console/sites")));
		assertThat(chromium.flash()).contains("Site shop deleted");
		assertThat(chromium.driver().findElements(By.id("site-shop"))).isEmpty();
		assertThat(dataPlane("shop.test", "/").body()).isEqualTo("<h1>default</h1>");
	}

	@Test
	@Order(12)
	void anApiTokenIsShownOnceWithACopyButtonAndRevokedAfterConfirmation() {
		chromium.driver().get(control("/console/tokens"));
		chromium.click(By.id("new-token"));
		chromium.type(By.id("name"), "browser deploy");
		chromium.click(By.id("scope-write"));
		chromium.click(By.id("create-token"));
		WebElement token = chromium.until(ExpectedConditions.visibilityOfElementLocated(By.id("token-value")));
		assertThat(token.getAttribute("value")).matches("cap_[A-Za-z0-9_-]{43}");
		assertThat(chromium.driver().findElement(By.id("shown-once")).getText()).contains("it will not be shown again");
		assertThat(chromium.driver().findElement(By.id("curl-example")).getText())
			.contains("Authorization: Bearer " + token.getAttribute("value"));
		HeadlessChromium.screenshot(chromium.driver(), "token-created");
		// the console's script runs under the content security policy: the button answers
		chromium.click(By.id("copy-token"));
		chromium.until((driver) -> !driver.findElement(By.id("copy-token")).getText().equals("Copy"));
		chromium.click(By.id("done"));
		chromium.until(ExpectedConditions.urlToBe(control("/console/tokens")));
		WebElement row = chromium.driver()
			.findElement(By.xpath("//table[@id='tokens']//tr[td[text()='browser deploy']]"));
		assertThat(row.getText()).contains("write", "active");
		row.findElement(By.linkText("Revoke")).click();
		chromium.click(By.id("confirm-revoke"));
		chromium.until(ExpectedConditions.urlToBe(control("/console/tokens")));
		assertThat(chromium.flash()).contains("Token browser deploy revoked");
	}

	@Test
	@Order(12)
	void atPhoneWidthTheNavigationCollapses() {
		chromium.driver().manage().window().setSize(new Dimension(390, 844));
		try {
			chromium.driver().get(control("/console/sites"));
			WebElement toggler = chromium.driver().findElement(By.cssSelector(".navbar-toggler"));
			assertThat(toggler.isDisplayed()).isTrue();
			WebElement audit = chromium.driver().findElement(By.cssSelector("#console-nav a[href='/console/audit']"));
			assertThat(audit.isDisplayed()).isFalse();
			toggler.click();
			chromium.until(ExpectedConditions.visibilityOf(audit));
			HeadlessChromium.screenshot(chromium.driver(), "phone");
		}
		finally {
			chromium.driver().manage().window().setSize(new Dimension(1280, 900));
		}
	}

	@Test
	@Order(13)
	void signingOutEndsTheSession() {
		chromium.driver().get(control("/console/"));
		chromium.click(By.id("sign-out"));
		chromium.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-signed-out")));
		chromium.driver().get(control("/console/sites"));
		chromium.until(ExpectedConditions.urlContains("/console/login"));
	}

	private SiteEntry shop() {
		List<SiteEntry> entries = this.config.current().entries();
		return entries.stream().filter((entry) -> entry.name().equals("shop")).findFirst().orElseThrow();
	}

	private HttpResponse<String> withSession(String path) throws Exception {
		Cookie session = chromium.driver().manage().getCookieNamed("CAPUCHIN_CONSOLE");
		HttpRequest request = HttpRequest.newBuilder(URI.create(control(path)))
			.header("Cookie", "CAPUCHIN_CONSOLE=" + session.getValue())
			.build();
		return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
	}

	private String rawRequest(String request) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", dataPlanePort())) {
			socket.setSoTimeout(5000);
			OutputStream out = socket.getOutputStream();
			out.write(request.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] buffer = new byte[4096];
			int read = in.read(buffer);
			return (read > 0) ? new String(buffer, 0, read, StandardCharsets.US_ASCII) : "";
		}
	}

}
