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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.app.sites.SiteEntry;
import dev.capuchin.core.spi.Location;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

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

	private static final Duration WAIT = Duration.ofSeconds(20);

	@Autowired
	ConfigService config;

	private ChromeDriver driver;

	private WebDriverWait wait;

	private Path profile;

	private Path shopOne;

	private Path shopTwo;

	private Path shopThree;

	@BeforeAll
	void startBrowser() throws IOException {
		this.profile = Files.createTempDirectory("capuchin-chromium-");
		this.driver = HeadlessChromium.start(this.profile);
		this.wait = new WebDriverWait(this.driver, WAIT);
		this.shopOne = documentRoot("shop-one", "shop one");
		this.shopTwo = documentRoot("shop-two", "shop two");
		this.shopThree = documentRoot("shop-three", "shop three");
	}

	@AfterAll
	void stopBrowser() {
		if (this.driver != null) {
			this.driver.quit();
		}
	}

	@Test
	@Order(1)
	void aWrongPasswordShowsAnError() {
		this.driver.get(control("/console/"));
		this.wait.until(ExpectedConditions.urlContains("/console/login"));
		signIn("admin", "not-the-password");
		WebElement error = this.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-error")));
		assertThat(error.getText()).contains("Wrong user name or password");
	}

	@Test
	@Order(2)
	void theRightPasswordLandsOnTheDashboard() {
		signIn("admin", PASSWORD);
		this.wait.until(ExpectedConditions.urlToBe(control("/console/")));
		assertThat(this.driver.findElement(By.tagName("h1")).getText()).isEqualTo("Dashboard");
		assertThat(this.driver.findElement(By.id("transport")).getText()).isIn("epoll", "nio", "io-uring");
		assertThat(this.driver.findElements(By.cssSelector("#workers tbody tr"))).hasSize(2);
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#requests-chart .uplot canvas")));
	}

	@Test
	@Order(3)
	void aNewSiteIsServedByTheDataPlane() throws Exception {
		this.driver.get(control("/console/sites"));
		click(By.id("new-site"));
		type(By.id("name"), "shop");
		type(By.id("serverNames"), "shop.test");
		type(By.id("documentRoot"), this.shopOne.toString());
		click(By.id("save-site"));
		this.wait.until(ExpectedConditions.urlToBe(control("/console/sites/shop")));
		assertThat(flash()).contains("Site shop created");
		Response served = dataPlane("shop.test", "/");
		assertThat(served.statusCode()).isEqualTo(200);
		assertThat(served.body()).isEqualTo("shop one");
		this.driver.get(control("/console/sites"));
		assertThat(this.driver.findElement(By.id("site-shop")).getText()).contains("shop.test", "served");
		HeadlessChromium.screenshot(this.driver, "sites");
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
			this.driver.get(control("/console/"));
			// an error after the page loaded reaches it through the htmx poll
			assertThat(rawRequest("BREW /pot HTTP/1.1\r\nHost: shop.test\r\n\r\n")).startsWith("HTTP/1.1 501");
			this.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("errors"), "BREW /pot"));
			assertThat(this.driver.findElement(By.id("errors")).getText()).contains("shop", "501");
			this.wait.until((driver) -> driver.findElements(By.cssSelector("#requests-chart .u-legend .u-series"))
				.stream()
				.anyMatch((series) -> series.getText().contains("shop")));
			this.wait.until((driver) -> Long.parseLong(driver.findElement(By.id("total-connections")).getText()) >= 0
					&& !driver.findElement(By.cssSelector("#workers tbody")).getText().contains(" 0 0 "));
			// the chart draws a line once it holds two polls' worth of rates
			this.wait.until((driver) -> !driver.findElement(By.id("requests-empty")).isDisplayed());
			this.driver.manage().window().setSize(new Dimension(1280, 1250));
			HeadlessChromium.screenshot(this.driver, "dashboard");
			this.driver.manage().window().setSize(new Dimension(1280, 900));
		}
		finally {
			running.set(false);
			traffic.join();
		}
	}

	@Test
	@Order(5)
	void aLocationKeepsItsPluginBlock() {
		this.driver.get(control("/console/sites/shop"));
		click(By.id("add-location"));
		type(By.id("value"), "/private/");
		type(By.id("settings"), "note:\n  x: 1\n");
		click(By.id("save-location"));
		this.wait.until(ExpectedConditions.urlContains("/console/sites/shop"));
		assertThat(flash()).contains("Location added");
		WebElement location = this.driver.findElement(By.id("location-0"));
		assertThat(location.getText()).contains("/private/", "note");
		Location stored = shop().site().locations().get(0);
		assertThat(stored.path()).isEqualTo("/private/");
		assertThat(stored.settings()).isEqualTo(Map.of("note", Map.of("x", 1)));
		this.driver.manage().window().setSize(new Dimension(1280, 1900));
		((JavascriptExecutor) this.driver).executeScript("window.scrollTo(0, 0);");
		HeadlessChromium.screenshot(this.driver, "site-editor");
		this.driver.manage().window().setSize(new Dimension(1280, 900));
		this.driver.get(control("/console/sites/shop/locations/0"));
		assertThat(this.driver.findElement(By.id("settings")).getDomProperty("value")).isEqualTo("note:\n  x: 1\n");
	}

	@Test
	@Order(6)
	void aChangedFieldIsLive() throws Exception {
		this.driver.get(control("/console/sites/shop"));
		type(By.id("documentRoot"), this.shopTwo.toString());
		click(By.id("save-site"));
		this.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("flash")));
		assertThat(flash()).contains("Site shop saved");
		assertThat(dataPlane("shop.test", "/").body()).isEqualTo("shop two");
	}

	@Test
	@Order(7)
	void anInvalidDocumentRootIsRefusedBesideTheFieldAndTheFormKeepsWhatWasTyped() throws Exception {
		this.driver.get(control("/console/sites/shop"));
		String missing = TEMP.resolve("missing").toString();
		type(By.id("serverNames"), "shop.test www.shop.test");
		type(By.id("documentRoot"), missing);
		click(By.id("precompressed"));
		click(By.id("save-site"));
		WebElement error = this.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("documentRoot-error")));
		assertThat(error.getText()).contains("document-root:", "expected: an existing directory");
		assertThat(this.driver.findElement(By.id("documentRoot")).getDomProperty("value")).isEqualTo(missing);
		assertThat(this.driver.findElement(By.id("serverNames")).getDomProperty("value"))
			.isEqualTo("shop.test www.shop.test");
		assertThat(this.driver.findElement(By.id("precompressed")).isSelected()).isFalse();
		assertThat(dataPlane("shop.test", "/").body()).isEqualTo("shop two");
		assertThat(dataPlane("www.shop.test", "/").body()).isEqualTo("<h1>default</h1>");
	}

	@Test
	@Order(8)
	void theExportIsTheWholeConfigurationAsYaml() throws Exception {
		this.driver.get(control("/console/transfer"));
		WebElement link = this.driver.findElement(By.id("export"));
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
		this.driver.get(control("/console/transfer"));
		WebElement document = this.driver.findElement(By.id("document"));
		((JavascriptExecutor) this.driver).executeScript("arguments[0].value = arguments[1];", document, modified);
		click(By.id("check-import"));
		WebElement changes = this.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("import-changes")));
		assertThat(changes.getText()).contains("changed", "site shop", this.shopThree.toString());
		assertThat(changes.findElements(By.cssSelector("tr.console-diff-removed"))).isNotEmpty();
		assertThat(dataPlane("shop.test", "/").body()).isEqualTo("shop two");
		click(By.id("apply-import"));
		this.wait.until(ExpectedConditions.urlToBe(control("/console/sites")));
		assertThat(flash()).contains("Imported: 1 site change(s)");
		assertThat(dataPlane("shop.test", "/").body()).isEqualTo("shop three");
	}

	@Test
	@Order(10)
	void theAuditLogShowsWhoChangedWhatWithTheDifference() {
		this.driver.get(control("/console/audit"));
		WebElement newest = this.driver.findElement(By.cssSelector("#audit-entries > li"));
		assertThat(newest.getText()).contains("changed", "site shop", "admin");
		newest.findElement(By.tagName("summary")).click();
		WebElement added = this.wait
			.until(ExpectedConditions.visibilityOf(newest.findElement(By.cssSelector("tr.console-diff-added"))));
		assertThat(added.getText()).contains(this.shopThree.toString());
	}

	@Test
	@Order(11)
	void aSiteIsDeletedAfterConfirmation() throws Exception {
		this.driver.get(control("/console/sites"));
		click(By.cssSelector("#site-shop a[href='/console/sites/shop/delete']"));
		this.wait.until(ExpectedConditions.urlToBe(control("/console/sites/shop/delete")));
		assertThat(this.driver.findElement(By.tagName("h1")).getText()).isEqualTo("Delete site shop?");
		assertThat(dataPlane("shop.test", "/").body()).isEqualTo("shop three");
		click(By.id("confirm-delete"));
		this.wait.until(ExpectedConditions.urlToBe(control("/console/sites")));
		assertThat(flash()).contains("Site shop deleted");
		assertThat(this.driver.findElements(By.id("site-shop"))).isEmpty();
		assertThat(dataPlane("shop.test", "/").body()).isEqualTo("<h1>default</h1>");
	}

	@Test
	@Order(12)
	void anApiTokenIsShownOnceWithACopyButtonAndRevokedAfterConfirmation() {
		this.driver.get(control("/console/tokens"));
		click(By.id("new-token"));
		type(By.id("name"), "browser deploy");
		click(By.id("scope-write"));
		click(By.id("create-token"));
		WebElement token = this.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token-value")));
		assertThat(token.getAttribute("value")).matches("cap_[A-Za-z0-9_-]{43}");
		assertThat(this.driver.findElement(By.id("shown-once")).getText()).contains("it will not be shown again");
		assertThat(this.driver.findElement(By.id("curl-example")).getText())
			.contains("Authorization: Bearer " + token.getAttribute("value"));
		HeadlessChromium.screenshot(this.driver, "token-created");
		// the console's script runs under the content security policy: the button answers
		click(By.id("copy-token"));
		this.wait.until((driver) -> !driver.findElement(By.id("copy-token")).getText().equals("Copy"));
		click(By.id("done"));
		this.wait.until(ExpectedConditions.urlToBe(control("/console/tokens")));
		WebElement row = this.driver.findElement(By.xpath("//table[@id='tokens']//tr[td[text()='browser deploy']]"));
		assertThat(row.getText()).contains("write", "active");
		row.findElement(By.linkText("Revoke")).click();
		click(By.id("confirm-revoke"));
		this.wait.until(ExpectedConditions.urlToBe(control("/console/tokens")));
		assertThat(flash()).contains("Token browser deploy revoked");
	}

	@Test
	@Order(12)
	void atPhoneWidthTheNavigationCollapses() {
		this.driver.manage().window().setSize(new Dimension(390, 844));
		try {
			this.driver.get(control("/console/sites"));
			WebElement toggler = this.driver.findElement(By.cssSelector(".navbar-toggler"));
			assertThat(toggler.isDisplayed()).isTrue();
			WebElement audit = this.driver.findElement(By.cssSelector("#console-nav a[href='/console/audit']"));
			assertThat(audit.isDisplayed()).isFalse();
			toggler.click();
			this.wait.until(ExpectedConditions.visibilityOf(audit));
			HeadlessChromium.screenshot(this.driver, "phone");
		}
		finally {
			this.driver.manage().window().setSize(new Dimension(1280, 900));
		}
	}

	@Test
	@Order(13)
	void signingOutEndsTheSession() {
		this.driver.get(control("/console/"));
		click(By.id("sign-out"));
		this.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-signed-out")));
		this.driver.get(control("/console/sites"));
		this.wait.until(ExpectedConditions.urlContains("/console/login"));
	}

	private void signIn(String username, String password) {
		type(By.id("username"), username);
		type(By.id("password"), password);
		click(By.id("sign-in"));
	}

	private void type(By field, String text) {
		HeadlessChromium.type(this.wait, field, text);
	}

	private void click(By button) {
		HeadlessChromium.click(this.driver, this.wait, button);
	}

	private String flash() {
		return HeadlessChromium.flash(this.wait);
	}

	private SiteEntry shop() {
		List<SiteEntry> entries = this.config.current().entries();
		return entries.stream().filter((entry) -> entry.name().equals("shop")).findFirst().orElseThrow();
	}

	private HttpResponse<String> withSession(String path) throws Exception {
		Cookie session = this.driver.manage().getCookieNamed("CAPUCHIN_CONSOLE");
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
