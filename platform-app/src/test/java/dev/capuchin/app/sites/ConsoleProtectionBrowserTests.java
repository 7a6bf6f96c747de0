package dev.capuchin.app.sites;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.capuchin.app.openidlogins.OpenIdLogin;
import dev.capuchin.app.shared.console.Browser;
import dev.capuchin.app.shared.console.HeadlessChromium;
import dev.capuchin.app.shared.console.PluginsConsoleTestSupport;
import dev.capuchin.core.spi.Location;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sites list and the "Protect a location" form in headless Chromium, as someone used
 * to Nginx Proxy Manager meets them, at desktop and phone width with axe-core: the list
 * shows state, TLS, protected locations with their realm, rule counts and a link that
 * opens the site; one form sets who may enter a location (a realm's users, an OpenID
 * login's, bearer tokens) and from where, and it takes effect on the data plane. With
 * {@code capuchin.screenshots} set it saves the README's screenshots of both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleProtectionBrowserTests extends PluginsConsoleTestSupport {

	@RegisterExtension
	static final Browser chromium = new Browser();

	@BeforeAll
	void signInWithARealmOfOneUser() throws Exception {
		if (api("GET", "/api/realms/Staff", null).statusCode() == 404) {
			assertThat(api("POST", "/api/realms", "{\"name\": \"Staff\"}").statusCode()).isEqualTo(201);
			assertThat(
					api("POST", "/api/realms/Staff/users", "{\"name\": \"alice\", \"password\": \"alice-password-1\"}")
						.statusCode())
				.isEqualTo(201);
		}
		chromium.width(Browser.DESKTOP);
		chromium.driver().get(control("/console/login"));
		chromium.signIn("admin", PASSWORD);
		chromium.until(ExpectedConditions.urlToBe(control("/console/")));
	}

	@Test
	void theSitesListShowsStateTlsProtectedLocationsRulesAndALinkThatOpensTheSite() {
		site("listed",
				Map.of("mandril", Map.of("ip", Map.of("deny", List.of("10.0.0.0/8"))), "locations",
						List.of(Map.of("path", "/admin/", "auth", Map.of("realm", "Staff"), "mandril",
								Map.of("uri", Map.of("deny", List.of("/admin/backup")))))));
		chromium.driver().get(control("/console/sites"));
		WebElement row = chromium.driver().findElement(By.id("site-listed"));
		assertThat(row.getText()).contains("served", "plain HTTP", "/admin/", "auth: Staff");
		WebElement rules = row.findElement(By.cssSelector("a[aria-label='2 access rules of listed']"));
		assertThat(rules.getText()).isEqualTo("2");
		assertThat(rules.getAttribute("href")).isEqualTo(control("/console/rules?site=listed"));
		WebElement open = row.findElement(By.cssSelector("a.console-open"));
		assertThat(open.getAttribute("href")).isEqualTo("http://listed.test:" + dataPlanePort() + "/");
		assertThat(open.getAttribute("target")).isEqualTo("_blank");
		chromium.accessible();
		HeadlessChromium.screenshot(chromium.driver(), "sites", Browser.DESKTOP);
		chromium.width(Browser.PHONE);
		WebElement phoneRow = chromium.driver().findElement(By.id("site-listed"));
		assertThat(phoneRow.findElement(By.cssSelector(".console-site-facts")).getText()).contains("plain HTTP",
				"/admin/", "auth: Staff", "2 access rules");
		assertThat(phoneRow.findElement(By.cssSelector("a.console-open")).isDisplayed()).isTrue();
		chromium.accessible();
		HeadlessChromium.screenshot(chromium.driver(), "sites-phone", Browser.PHONE);
		chromium.width(Browser.DESKTOP);
	}

	@Test
	void protectingALocationWithARealmAndAddressesIsOneFormThatTakesEffect() throws Exception {
		site("fenced", Map.of());
		write(TEMP.resolve("fenced-root/admin/index.html"), "admin area");
		assertThat(dataPlane("fenced.test", "/admin/").statusCode()).isEqualTo(200);
		chromium.driver().get(control("/console/sites"));
		chromium.click(By.cssSelector("#site-fenced a[aria-label='Protect a location of fenced']"));
		chromium.until(ExpectedConditions.urlContains("/console/sites/fenced/protect"));
		chromium.accessible();
		chromium.type(By.id("path"), "/admin/");
		chromium.click(By.id("access-realm"));
		new Select(chromium.driver().findElement(By.id("realm"))).selectByValue("Staff");
		chromium.type(By.id("allow"), "127.0.0.1\n::1");
		chromium.type(By.id("deny"), "10.0.0.0/8");
		chromium.click(By.id("save-protection"));
		assertThat(chromium.flash()).contains("Location /admin/ of site fenced added and saved: users of realm Staff,"
				+ " from 127.0.0.1, ::1 only except 10.0.0.0/8.");
		// the form shows the location as saved, ready for the next change
		assertThat(chromium.driver().findElement(By.id("path")).getDomProperty("value")).isEqualTo("/admin/");
		assertThat(chromium.driver().findElement(By.id("access-realm")).isSelected()).isTrue();
		assertThat(chromium.driver().findElement(By.id("protected-locations")).getText()).contains("/admin/",
				"auth: Staff");
		assertThat(dataPlane("fenced.test", "/admin/").statusCode()).isEqualTo(401);
		Location admin = config.current()
			.entries()
			.stream()
			.filter((entry) -> entry.name().equals("fenced"))
			.findFirst()
			.orElseThrow()
			.site()
			.locations()
			.get(0);
		assertThat(admin.path()).isEqualTo("/admin/");
		assertThat(admin.settings()).containsEntry("auth", Map.of("realm", "Staff"));
		assertThat(dataPlane("fenced.test", "/").statusCode()).isEqualTo(200);
		assertThat(api("GET", "/api/access-rules", null).body()).contains(
				"{\"site\":\"fenced\",\"location\":\"/admin/\",\"kind\":\"ip-allow\",\"value\":\"127.0.0.1\"",
				"{\"site\":\"fenced\",\"location\":\"/admin/\",\"kind\":\"ip-deny\",\"value\":\"10.0.0.0/8\"");
		chromium.accessible();
		HeadlessChromium.screenshot(chromium.driver(), "protect-location", Browser.DESKTOP);
		chromium.width(Browser.PHONE);
		chromium.accessible();
		HeadlessChromium.screenshot(chromium.driver(), "protect-location-phone", Browser.PHONE);
		chromium.width(Browser.DESKTOP);
	}

	@Test
	void anAddressThatIsNotOneIsRefusedBesideItsFieldWithTheFocusOnIt() {
		site("mistyped", Map.of());
		chromium.width(Browser.PHONE);
		chromium.driver().get(control("/console/sites/mistyped/protect"));
		chromium.type(By.id("path"), "/private/");
		chromium.click(By.id("access-anyone"));
		chromium.type(By.id("deny"), "10.0.0.0/8\nnot-an-address");
		chromium.click(By.id("save-protection"));
		WebElement error = chromium.until(ExpectedConditions.visibilityOfElementLocated(By.id("deny-error")));
		assertThat(error.getText()).contains("not-an-address");
		WebElement deny = chromium.driver().switchTo().activeElement();
		assertThat(deny.getAttribute("id")).isEqualTo("deny");
		assertThat(deny.getAttribute("aria-invalid")).isEqualTo("true");
		assertThat(deny.getDomProperty("value")).isEqualTo("10.0.0.0/8\nnot-an-address");
		chromium.accessible();
		chromium.type(By.id("path"), " ");
		chromium.type(By.id("deny"), "10.0.0.0/8");
		chromium.click(By.id("save-protection"));
		assertThat(chromium.until(ExpectedConditions.visibilityOfElementLocated(By.id("path-error"))).getText())
			.isEqualTo("Required");
		assertThat(config.current()
			.entries()
			.stream()
			.filter((entry) -> entry.name().equals("mistyped"))
			.findFirst()
			.orElseThrow()
			.site()
			.locations()).isEmpty();
		chromium.width(Browser.DESKTOP);
	}

	@Test
	void anOpenIdLoginIsAChoiceAmongTheStoredLoginsAndIsStoredAsTheLocationsOpenIdBlock() throws Exception {
		login("protect-corp");
		site("signed-in", Map.of());
		write(TEMP.resolve("signed-in-root/team/index.html"), "team area");
		chromium.width(Browser.DESKTOP);
		chromium.driver().get(control("/console/sites/signed-in/protect"));
		List<String> offered = new ArrayList<>();
		for (WebElement option : new Select(chromium.driver().findElement(By.id("login"))).getOptions()) {
			if (!option.getAttribute("value").isEmpty()) {
				offered.add(option.getAttribute("value"));
			}
		}
		assertThat(offered).contains("protect-corp")
			.containsExactlyElementsOf(config.current().openidLogins().stream().map(OpenIdLogin::name).toList());
		chromium.type(By.id("path"), "/team/");
		chromium.click(By.id("access-openid"));
		new Select(chromium.driver().findElement(By.id("login"))).selectByValue("protect-corp");
		chromium.click(By.id("save-protection"));
		assertThat(chromium.flash()).contains("Location /team/ of site signed-in added and saved: sign-in through"
				+ " OpenID login protect-corp, from every address.");
		assertThat(chromium.driver().findElement(By.id("access-openid")).isSelected()).isTrue();
		assertThat(new Select(chromium.driver().findElement(By.id("login"))).getFirstSelectedOption().getText())
			.isEqualTo("protect-corp");
		assertThat(chromium.driver().findElement(By.id("protected-locations")).getText()).contains("/team/",
				"openid: protect-corp");
		Location team = stored("signed-in").site().locations().get(0);
		assertThat(team.path()).isEqualTo("/team/");
		assertThat(team.settings()).containsEntry("auth", Map.of("openid", Map.of("login", "protect-corp")));
		// a script's request is refused without a trip to the provider
		assertThat(dataPlaneRaw(
				"POST /team/ HTTP/1.1\r\nHost: signed-in.test\r\nContent-Length: 0\r\n" + "Connection: close\r\n\r\n"))
			.startsWith("HTTP/1.1 401")
			.contains("WWW-Authenticate: OpenID");
		assertThat(dataPlane("signed-in.test", "/").statusCode()).isEqualTo(200);
		chromium.accessible();
		chromium.width(Browser.PHONE);
		chromium.accessible();
		chromium.width(Browser.DESKTOP);
		chromium.driver().get(control("/console/sites"));
		assertThat(chromium.driver().findElement(By.id("site-signed-in")).getText()).contains("/team/",
				"openid: protect-corp");
	}

	@Test
	void anOpenIdLoginThatIsNotStoredIsRefusedBesideItsField() throws Exception {
		site("unsigned", Map.of());
		HttpClient admin = admin();
		String page = httpGet(admin, "/console/sites/unsigned/protect").body();
		String version = page.replaceAll("(?s).*name=\"version\" value=\"(\\d+)\".*", "$1");
		String answer = httpPost(admin, "/console/sites/unsigned/protect", "path=/team/&access=openid&login=nowhere"
				+ "&realm=&issuer=&scopes=&allow=&deny=&version=" + version + "&_csrf=" + csrfToken(page))
			.body();
		assertThat(answer).contains("id=\"login-error\"", "no OpenID login &#39;nowhere&#39;");
		assertThat(stored("unsigned").site().locations()).isEmpty();
	}

	private void login(String name) {
		if (config.current().openidLogins().stream().noneMatch((login) -> login.name().equals(name))) {
			List<OpenIdLogin> added = new ArrayList<>(config.current().openidLogins());
			// a public client (no secret) of a provider that is never asked in these
			// tests
			added.add(new OpenIdLogin(name, "http://127.0.0.1:9/", "capuchin", null, List.of("openid", "email"),
					Map.of(), "sub", OpenIdLogin.Claims.STANDARD, List.of()));
			config.changeOpenIdLogins((logins) -> added, "test");
		}
	}

	private SiteEntry stored(String name) {
		return config.current()
			.entries()
			.stream()
			.filter((entry) -> entry.name().equals(name))
			.findFirst()
			.orElseThrow();
	}

}
