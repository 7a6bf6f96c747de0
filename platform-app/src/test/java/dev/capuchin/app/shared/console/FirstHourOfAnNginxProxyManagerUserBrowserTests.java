package dev.capuchin.app.shared.console;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import dev.capuchin.app.TestApplication;
import dev.capuchin.app.sites.SiteEntry;
import dev.capuchin.app.users.ConsoleUser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first hour of someone coming from Nginx Proxy Manager, replayed in headless
 * Chromium as one story, step by step: sign in; create a site; protect a path with a
 * realm user; add an access rule on the form scoped to the site; read the site's access
 * log, which exists without any YAML written; export and import again through the
 * difference; make an API token, whose page a reload does not post again; watch the
 * dashboard move under load; get locked out, be told until when, and have an admin clear
 * the lock; and see the confirmation before a save that would remove an access rule. Each
 * step checks what the user sees, at desktop and phone width with axe-core, and its
 * effect over HTTP where it has one. An application of its own (its store, its logs
 * directory, a sign-in lock long enough to be read), so the story starts from nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestPropertySource(properties = { "capuchin.test.database=first-hour", "capuchin.console.sign-in.first-delay=1m",
		"capuchin.console.sign-in.address-max-failures=1000" })
class FirstHourOfAnNginxProxyManagerUserBrowserTests extends PluginsConsoleTestSupport {

	private static final String SITE = "corner";

	private static final String HOST = "corner.test";

	private static final String OPERATOR = "olivia";

	private static final String OPERATOR_PASSWORD = "olivia-password-1";

	@RegisterExtension
	static final Browser chromium = new Browser();

	private Path root;

	private Path movedRoot;

	@DynamicPropertySource
	static void logsOfItsOwn(DynamicPropertyRegistry registry) {
		registry.add("capuchin.logs.default-dir", () -> TEMP.resolve("first-hour-logs").toString());
	}

	@BeforeAll
	void documentRoots() {
		this.root = documentRoot("corner-root", "corner shop");
		this.movedRoot = documentRoot("corner-root-moved", "corner shop, new shelves");
		for (Path directory : List.of(this.root, this.movedRoot)) {
			write(directory.resolve("staff/index.html"), "staff only");
			write(directory.resolve("secret/plans.txt"), "plans");
		}
		chromium.width(Browser.DESKTOP);
	}

	@Test
	@Order(1)
	void signingInLandsOnTheDashboard() {
		chromium.driver().get(control("/console/"));
		chromium.until(ExpectedConditions.urlContains("/console/login"));
		atBothWidths(() -> assertThat(chromium.driver().findElement(By.id("sign-in")).isDisplayed()).isTrue());
		chromium.signIn("admin", PASSWORD);
		chromium.until(ExpectedConditions.urlToBe(control("/console/")));
		atBothWidths(
				() -> assertThat(chromium.driver().findElement(By.tagName("h1")).getText()).isEqualTo("Dashboard"));
	}

	@Test
	@Order(2)
	void aNewSiteIsServedAtOnce() throws Exception {
		chromium.driver().get(control("/console/sites"));
		chromium.click(By.id("new-site"));
		chromium.type(By.id("name"), SITE);
		chromium.type(By.id("serverNames"), HOST);
		chromium.type(By.id("documentRoot"), this.root.toString());
		chromium.click(By.id("save-site"));
		chromium.until(ExpectedConditions.urlToBe(control("/console/sites/" + SITE)));
		assertThat(chromium.flash()).contains("Site corner created");
		Response served = dataPlane(HOST, "/");
		assertThat(served.statusCode()).isEqualTo(200);
		assertThat(served.body()).isEqualTo("corner shop");
		chromium.driver().get(control("/console/sites"));
		atBothWidths(() -> assertThat(chromium.driver().findElement(By.id("site-corner")).getText()).contains(HOST,
				"served"));
	}

	@Test
	@Order(3)
	void aPathIsProtectedWithARealmUser() throws Exception {
		chromium.driver().get(control("/console/realms"));
		chromium.click(By.id("new-realm"));
		chromium.type(By.id("name"), "Crew");
		chromium.click(By.id("create-realm"));
		chromium.until(ExpectedConditions.urlToBe(control("/console/realms/Crew")));
		chromium.type(By.id("username"), "bea");
		chromium.type(By.id("password"), "bea-password-1");
		chromium.type(By.id("confirm"), "bea-password-1");
		chromium.click(By.id("add-user"));
		assertThat(chromium.flash()).contains("User bea added to realm Crew");
		chromium.driver().get(control("/console/sites"));
		chromium.click(By.cssSelector("#site-corner a[aria-label='Protect a location of corner']"));
		chromium.until(ExpectedConditions.urlContains("/console/sites/corner/protect"));
		chromium.type(By.id("path"), "/staff/");
		chromium.click(By.id("access-realm"));
		new Select(chromium.driver().findElement(By.id("realm"))).selectByValue("Crew");
		chromium.type(By.id("deny"), "10.0.0.0/8");
		chromium.click(By.id("save-protection"));
		assertThat(chromium.flash()).contains(
				"Location /staff/ of site corner added and saved: users of realm Crew, from every address except 10.0.0.0/8.");
		atBothWidths(() -> assertThat(chromium.driver().findElement(By.id("protected-locations")).getText())
			.contains("/staff/", "auth: Crew"));
		assertThat(dataPlane(HOST, "/staff/").statusCode()).isEqualTo(401);
		assertThat(staff("bea:bea-password-1")).startsWith("HTTP/1.1 200").endsWith("staff only");
		assertThat(dataPlane(HOST, "/").statusCode()).isEqualTo(200);
	}

	@Test
	@Order(4)
	void anAccessRuleIsAddedOnTheFormOfTheSiteWhichKeepsTheSite() throws Exception {
		assertThat(dataPlane(HOST, "/secret/plans.txt").statusCode()).isEqualTo(200);
		chromium.driver().get(control("/console/rules"));
		new Select(chromium.driver().findElement(By.id("site"))).selectByValue(SITE);
		chromium.until(ExpectedConditions.textToBe(By.id("chosen-site"), SITE));
		assertThat(new Select(chromium.driver().findElement(By.id("location"))).getOptions())
			.extracting((option) -> option.getAttribute("value"))
			.containsExactly("", "/staff/");
		new Select(chromium.driver().findElement(By.id("kind"))).selectByValue("uri-deny");
		chromium.type(By.id("value"), "/secret/");
		chromium.click(By.id("add-rule-button"));
		assertThat(chromium.flash()).contains("Rule added to site corner");
		atBothWidths(() -> {
			assertThat(chromium.driver().findElement(By.id("chosen-site")).getText()).isEqualTo(SITE);
			assertThat(chromium.driver().findElement(By.id("rules-corner")).getText()).contains("/secret/");
		});
		assertThat(dataPlane(HOST, "/secret/plans.txt").statusCode()).isEqualTo(403);
		assertThat(dataPlane(HOST, "/").statusCode()).isEqualTo(200);
	}

	@Test
	@Order(5)
	void theSitesAccessLogIsReadWithoutAnyYamlWritten() throws Exception {
		dataPlane(HOST, "/hello-from-the-first-hour");
		chromium.driver().get(control("/console/logs?site=corner&log=access"));
		chromium.until(ExpectedConditions.textToBePresentInElementLocated(By.id("log-text"),
				"GET /hello-from-the-first-hour"));
		atBothWidths(() -> assertThat(chromium.driver().findElement(By.id("log-text")).getText())
			.contains("GET /secret/plans.txt"));
		assertThat(api("GET", "/api/logs/corner/access", null).body()).contains("corner.access.log",
				"GET /hello-from-the-first-hour");
	}

	@Test
	@Order(6)
	void anExportImportedAgainShowsItsDifferenceThenApplies() throws Exception {
		HttpResponse<String> export = withSession("/console/export");
		assertThat(export.statusCode()).isEqualTo(200);
		assertThat(export.body()).contains("name: corner", "document-root: " + this.root);
		String modified = export.body().replace(this.root.toString(), this.movedRoot.toString());
		chromium.driver().get(control("/console/transfer"));
		WebElement document = chromium.driver().findElement(By.id("document"));
		chromium.driver().executeScript("arguments[0].value = arguments[1];", document, modified);
		chromium.click(By.id("check-import"));
		WebElement changes = chromium.until(ExpectedConditions.visibilityOfElementLocated(By.id("import-changes")));
		assertThat(changes.getText()).contains("changed", "site corner", this.movedRoot.toString());
		atBothWidths(() -> assertThat(chromium.driver().findElement(By.id("import-changes")).isDisplayed()).isTrue());
		assertThat(dataPlane(HOST, "/").body()).isEqualTo("corner shop");
		chromium.click(By.id("apply-import"));
		chromium.until(ExpectedConditions.urlToBe(control("/console/sites")));
		assertThat(chromium.flash()).contains("Imported: 1 site change(s)");
		assertThat(dataPlane(HOST, "/").body()).isEqualTo("corner shop, new shelves");
		// what the import did not change still holds
		assertThat(dataPlane(HOST, "/staff/").statusCode()).isEqualTo(401);
		assertThat(dataPlane(HOST, "/secret/plans.txt").statusCode()).isEqualTo(403);
	}

	@Test
	@Order(7)
	void anApiTokenIsShownOnceAndAReloadDoesNotPostAgain() throws Exception {
		chromium.driver().get(control("/console/tokens"));
		chromium.click(By.id("new-token"));
		chromium.type(By.id("name"), "first-hour deploy");
		chromium.click(By.id("create-token"));
		WebElement value = chromium.until(ExpectedConditions.visibilityOfElementLocated(By.id("token-value")));
		String token = value.getDomProperty("value");
		assertThat(token).matches("cap_[A-Za-z0-9_-]{43}");
		assertThat(chromium.driver().getCurrentUrl())
			.matches(Pattern.quote(control("/console/tokens/")) + "\\d+/created");
		atBothWidths(() -> assertThat(chromium.driver().findElement(By.id("shown-once")).getText())
			.contains("it will not be shown again"));
		HttpResponse<String> sites = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(control("/api/sites")))
				.header("Authorization", "Bearer " + token)
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(sites.statusCode()).isEqualTo(200);
		assertThat(sites.body()).contains("\"corner\"");
		chromium.driver().navigate().refresh();
		chromium.until(ExpectedConditions.urlToBe(control("/console/tokens")));
		assertThat(chromium.flash()).contains("was shown once");
		atBothWidths(() -> assertThat(
				chromium.driver().findElements(By.xpath("//table[@id='tokens']//tr[td[text()='first-hour deploy']]")))
			.hasSize(1));
		assertThat(api("GET", "/api/tokens", null).body().split("first-hour deploy", -1)).hasSize(2);
	}

	@Test
	@Order(8)
	void theDashboardMovesUnderLoad() throws Exception {
		chromium.driver().get(control("/console/"));
		String uptime = chromium.driver().findElement(By.id("uptime")).getText();
		AtomicBoolean running = new AtomicBoolean(true);
		Thread load = new Thread(() -> {
			int i = 0;
			while (running.get()) {
				try {
					dataPlane(HOST, ((i++ % 4) == 0) ? "/missing.html" : "/");
					// the load's pace is the stimulus, not a wait for the console
					Thread.sleep(20);
				}
				catch (Exception ex) {
					return;
				}
			}
		});
		load.start();
		try {
			String first = chromium.until((driver) -> {
				List<WebElement> rows = driver.findElements(By.id("answers-corner"));
				return rows.isEmpty() ? null : rows.get(0).getText();
			});
			chromium.until((driver) -> {
				String now = driver.findElement(By.id("answers-corner")).getText();
				return !now.equals(first) && count(now, 1) > count(first, 1) && count(now, 3) > count(first, 3);
			});
			chromium.until((driver) -> !driver.findElement(By.id("uptime")).getText().equals(uptime));
			// the dashboard redraws its parts every 2 seconds: read them where a redraw
			// is
			// read again
			chromium
				.until((driver) -> driver.findElement(By.id("answers-summary")).getText().startsWith("In the last"));
		}
		finally {
			running.set(false);
			load.join();
		}
		atBothWidths(() -> chromium.until((driver) -> driver.findElement(By.id("answers-corner")).isDisplayed()));
	}

	@Test
	@Order(9)
	void aLockedOutUserIsToldUntilWhenAndAnAdminClearsTheLock() throws Exception {
		account(OPERATOR, ConsoleUser.Role.OPERATOR, OPERATOR_PASSWORD);
		chromium.click(By.id("sign-out"));
		chromium.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-signed-out")));
		for (int i = 1; i <= 5; i++) {
			chromium.signIn(OPERATOR, "wrong-" + i);
			chromium.until((driver) -> !driver.findElements(By.id("login-error")).isEmpty()
					|| !driver.findElements(By.id("login-throttled")).isEmpty());
			assertThat(chromium.driver().findElement(By.id("username")).getDomProperty("value")).as("attempt %d", i)
				.isEqualTo(OPERATOR);
		}
		atBothWidths(() -> assertThat(chromium.driver().findElement(By.id("login-throttled")).getText())
			.matches("(?s).*Try again at \\d\\d:\\d\\d:\\d\\d UTC\\..*"));
		chromium.type(By.id("password"), OPERATOR_PASSWORD);
		chromium.click(By.id("sign-in"));
		chromium.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-throttled")));
		assertThat(chromium.driver().getCurrentUrl()).contains("/console/login");
		assertThat(basicGet("/api/sites", OPERATOR + ":" + OPERATOR_PASSWORD).statusCode()).isEqualTo(429);
		// an admin at the same address still signs in
		chromium.signIn("admin", PASSWORD);
		chromium.until(ExpectedConditions.urlToBe(control("/console/")));
		chromium.driver().get(control("/console/sign-in-locks"));
		atBothWidths(() -> assertThat(chromium.driver().findElement(By.id("lock-account-olivia")).getText())
			.contains(OPERATOR));
		chromium.click(By.cssSelector("#lock-account-olivia button[type='submit']"));
		assertThat(chromium.flash()).contains("olivia", "cleared");
		assertThat(chromium.driver().findElements(By.id("lock-account-olivia"))).isEmpty();
		assertThat(basicGet("/api/sites", OPERATOR + ":" + OPERATOR_PASSWORD).statusCode()).isEqualTo(200);
	}

	@Test
	@Order(10)
	void aSaveThatWouldRemoveAnAccessRuleAsksFirst() throws Exception {
		chromium.driver().get(control("/console/sites/corner"));
		chromium.click(By.id("remove-location-0"));
		WebElement items = chromium.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-items")));
		assertThat(items.getText()).contains("removed access rule ip-deny 10.0.0.0/8 at location /staff/ on corner");
		atBothWidths(() -> assertThat(chromium.driver().findElement(By.id("confirm-change")).isDisplayed()).isTrue());
		// nothing changed until it is confirmed
		assertThat(stored().site().locations()).hasSize(1);
		assertThat(dataPlane(HOST, "/staff/").statusCode()).isEqualTo(401);
		chromium.click(By.id("confirm-change"));
		assertThat(chromium.flash()).contains("removed: location /staff/ on corner");
		assertThat(stored().site().locations()).isEmpty();
		assertThat(dataPlane(HOST, "/staff/").statusCode()).isEqualTo(200);
		// the site's own rule was not the location's, and stays
		assertThat(dataPlane(HOST, "/secret/plans.txt").statusCode()).isEqualTo(403);
	}

	/**
	 * Check what the user sees and axe-core at desktop width, then again at phone width,
	 * and go back to desktop width.
	 */
	private static void atBothWidths(Runnable visible) {
		for (int width : new int[] { Browser.DESKTOP, Browser.PHONE }) {
			chromium.width(width);
			visible.run();
			chromium.accessible();
		}
		chromium.width(Browser.DESKTOP);
	}

	/** The count of one column of an answers row such as {@code corner 5 0 3 1}. */
	private static long count(String row, int column) {
		String[] cells = row.trim().split("\\s+");
		return (cells.length > column) ? Long.parseLong(cells[column]) : 0;
	}

	private String staff(String credentials) throws Exception {
		return dataPlaneRaw("GET /staff/ HTTP/1.1\r\nHost: " + HOST + "\r\nAuthorization: "
				+ TestApplication.basic(credentials) + "\r\nConnection: close\r\n\r\n");
	}

	private HttpResponse<String> basicGet(String path, String credentials) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(control(path)))
				.header("Authorization", TestApplication.basic(credentials))
				.build(), HttpResponse.BodyHandlers.ofString());
	}

	private SiteEntry stored() {
		return this.config.current()
			.entries()
			.stream()
			.filter((entry) -> entry.name().equals(SITE))
			.findFirst()
			.orElseThrow();
	}

	private HttpResponse<String> withSession(String path) throws Exception {
		Cookie session = chromium.driver().manage().getCookieNamed("CAPUCHIN_CONSOLE");
		HttpRequest request = HttpRequest.newBuilder(URI.create(control(path)))
			.header("Cookie", "CAPUCHIN_CONSOLE=" + session.getValue())
			.build();
		return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
	}

}
