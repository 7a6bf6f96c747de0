package dev.capuchin.app.shared.console;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's accessibility in headless Chromium: axe-core on every console page (the
 * pages are read from the controllers' mappings, so a new page without an entry here
 * fails the walk) at desktop and phone width, the skip link, the focus ring on the dark
 * navigation bar, the marking of required and invalid fields with focus on the first
 * error, and the "Copied" feedback.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleAccessibilityBrowserTests extends PluginsConsoleTestSupport {

	/** Mappings that are not pages: fragments, JSON, downloads. */
	private static final List<String> NOT_PAGES = List.of("/console/live/", "/console/metrics/", "/console/logs/tail",
			"/console/export");

	@RegisterExtension
	static final Browser chromium = new Browser();

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	RequestMappingHandlerMapping mappings;

	private final Map<String, String> pages = new LinkedHashMap<>();

	@BeforeAll
	void createOneOfEverythingAndSignIn() throws Exception {
		api("POST", "/api/realms", "{\"name\": \"Walk\"}");
		api("POST", "/api/realms/Walk/users", "{\"name\": \"walker\", \"password\": \"walker-password-1\"}");
		site("walk", Map.of("locations", List.of(Map.of("path", "/admin/", "auth", Map.of("realm", "Walk"), "mandril",
				Map.of("ip", Map.of("deny", List.of("10.9.0.0/16")))))));
		api("POST", "/api/upstreams",
				"{\"name\": \"walk-pool\", \"balancer\": \"naive\", \"servers\": [{\"url\": \"http://127.0.0.1:9699\"}]}");
		api("POST", "/api/oauth-clients",
				"{\"client-id\": \"walk-client\", \"name\": \"Walk\", \"type\": \"confidential\", \"realm\": \"Walk\","
						+ " \"grant-types\": [\"client_credentials\"], \"scopes\": [\"read\"], \"redirect-uris\": []}");
		api("POST", "/api/users",
				"{\"username\": \"walk-viewer\", \"role\": \"viewer\", \"password\": \"walk-password-1\"}");
		HttpResponse<String> token = api("POST", "/api/tokens", "{\"name\": \"walk-token\", \"scope\": \"read\"}");
		Matcher id = Pattern.compile("\"id\"\\s*:\\s*(\\d+)").matcher(token.body());
		assertThat(id.find()).as(token.body()).isTrue();
		this.pages.put("/console/", "/console/");
		this.pages.put("/console/sites/{name}", "/console/sites/walk");
		this.pages.put("/console/sites/{name}/delete", "/console/sites/walk/delete");
		this.pages.put("/console/sites/{name}/locations/new", "/console/sites/walk/locations/new");
		this.pages.put("/console/sites/{name}/locations/{position}", "/console/sites/walk/locations/0");
		this.pages.put("/console/sites/{name}/protect", "/console/sites/walk/protect?path=/admin/");
		this.pages.put("/console/rules", "/console/rules?site=walk");
		this.pages.put("/console/rules/delete",
				"/console/rules/delete?site=walk&location=/admin/&kind=ip-deny&value=10.9.0.0/16");
		this.pages.put("/console/realms/{name}", "/console/realms/Walk");
		this.pages.put("/console/realms/{name}/delete", "/console/realms/Walk/delete");
		this.pages.put("/console/realms/{name}/users/{user}", "/console/realms/Walk/users/walker");
		this.pages.put("/console/realms/{name}/users/{user}/delete", "/console/realms/Walk/users/walker/delete");
		this.pages.put("/console/proxy/{name}", "/console/proxy/walk-pool");
		this.pages.put("/console/proxy/{name}/delete", "/console/proxy/walk-pool/delete");
		this.pages.put("/console/cache/purge", "/console/cache/purge?zone=main&url=http://walk.test/app/*");
		this.pages.put("/console/oauth-clients/{clientId}", "/console/oauth-clients/walk-client");
		this.pages.put("/console/oauth-clients/{clientId}/delete", "/console/oauth-clients/walk-client/delete");
		this.pages.put("/console/tokens/{id}/revoke", "/console/tokens/" + id.group(1) + "/revoke");
		// shown once after creation; opened again it leads back to the list
		this.pages.put("/console/tokens/{id}/created", "/console/tokens/" + id.group(1) + "/created");
		this.pages.put("/console/users/{username}", "/console/users/walk-viewer");
		this.pages.put("/console/users/{username}/delete", "/console/users/walk-viewer/delete");
		this.pages.put("/console/logs", "/console/logs?site=walk&log=access");
		// an OpenID login whose provider is this node's own authorization server
		api("POST", "/api/openid-logins", "{\"name\": \"walk-login\", \"issuer\": \"" + control("")
				+ "\", \"client-id\": \"walk\"," + " \"console\": {\"roles\": {\"admin\": [\"walkers\"]}}}");
		this.pages.put("/console/openid-logins/{name}", "/console/openid-logins/walk-login");
		this.pages.put("/console/openid-logins/{name}/delete", "/console/openid-logins/walk-login/delete");
		this.pages.put("/console/openid-logins/{name}/try/callback",
				"/console/openid-logins/walk-login/try/callback?state=none&code=none");
		chromium.width(Browser.DESKTOP);
		chromium.driver().get(control("/console/login"));
		chromium.accessible();
		chromium.width(Browser.PHONE);
		chromium.accessible();
		chromium.width(Browser.DESKTOP);
		chromium.signIn("admin", PASSWORD);
		chromium.until(ExpectedConditions.urlToBe(control("/console/")));
	}

	@Test
	void everyConsolePageHasNoSeriousOrCriticalViolationsAtDesktopAndPhoneWidth() {
		List<String> walked = new ArrayList<>();
		List<String> failures = new ArrayList<>();
		for (String page : consolePages()) {
			String url = this.pages.getOrDefault(page, page);
			assertThat(url).as("a page with variables needs an entry in the walk: %s", page).doesNotContain("{");
			chromium.driver().get(control(url));
			chromium.until((driver) -> driver.getTitle().contains("Capuchin"));
			assertThat(chromium.driver().getTitle()).as(url).doesNotStartWith("Not found");
			for (int width : List.of(Browser.DESKTOP, Browser.PHONE)) {
				chromium.width(width);
				Axe.violations(chromium.driver())
					.forEach((violation) -> failures.add(url + " at " + width + " px: " + violation));
			}
			chromium.width(Browser.DESKTOP);
			walked.add(url);
		}
		assertThat(walked).hasSizeGreaterThan(30);
		assertThat(failures).isEmpty();
	}

	@Test
	void theSkipLinkIsTheFirstStopAndTakesFocusToTheContent() {
		chromium.driver().get(control("/console/sites"));
		chromium.driver().findElement(By.tagName("body")).sendKeys(Keys.TAB);
		WebElement skip = chromium.driver().switchTo().activeElement();
		assertThat(skip.getText()).isEqualTo("Skip to content");
		assertThat(skip.isDisplayed()).isTrue();
		skip.sendKeys(Keys.ENTER);
		assertThat(chromium.driver().switchTo().activeElement().getAttribute("id")).isEqualTo("content");
		chromium.driver().switchTo().activeElement().sendKeys(Keys.TAB);
		assertThat(chromium.driver().switchTo().activeElement().getAttribute("id")).isEqualTo("new-site");
	}

	@Test
	void aFocusedLinkOfTheNavigationBarHasAThickLightRing() {
		chromium.driver().get(control("/console/sites"));
		WebElement body = chromium.driver().findElement(By.tagName("body"));
		body.sendKeys(Keys.TAB);
		chromium.driver().switchTo().activeElement().sendKeys(Keys.TAB);
		WebElement brand = chromium.driver().switchTo().activeElement();
		assertThat(brand.getText()).isEqualTo("Capuchin");
		assertThat(brand.getCssValue("outline-style")).isEqualTo("solid");
		assertThat(brand.getCssValue("outline-width")).isEqualTo("3px");
		// amber on the slate bar: a contrast above 3:1 (WCAG 2.4.13)
		assertThat(brand.getCssValue("outline-color")).isEqualTo("rgba(251, 191, 36, 1)");
	}

	@Test
	void anEmptyRequiredFieldSaysRequiredIsMarkedInvalidAndHasTheFocus() {
		chromium.driver().get(control("/console/rules?site=walk"));
		WebElement value = chromium.driver().findElement(By.id("value"));
		assertThat(value.getAttribute("required")).isNotNull();
		assertThat(chromium.driver().findElement(By.cssSelector("label[for=value]")).getText()).isEqualTo("Value");
		assertThat((String) chromium.driver()
			.executeScript("return getComputedStyle(document.querySelector('label[for=value]'), '::after').content;"))
			.isEqualTo("\" *\"");
		chromium.click(By.id("add-rule-button"));
		WebElement error = chromium.until(ExpectedConditions.visibilityOfElementLocated(By.id("value-error")));
		assertThat(error.getText()).isEqualTo("Required");
		WebElement invalid = chromium.driver().findElement(By.id("value"));
		assertThat(invalid.getAttribute("aria-invalid")).isEqualTo("true");
		assertThat(invalid.getAttribute("aria-describedby")).startsWith("value-error");
		assertThat(chromium.driver().switchTo().activeElement().getAttribute("id")).isEqualTo("value");
		assertThat(chromium.driver().findElement(By.id("chosen-site")).getText()).isEqualTo("walk");
		chromium.accessible();
	}

	@Test
	void aFormErrorOnAPageThatDoesNotMarkItsFieldsStillMovesFocusToTheFirstError() {
		chromium.driver().get(control("/console/tokens/new"));
		chromium.click(By.id("create-token"));
		chromium.until(ExpectedConditions.visibilityOfElementLocated(By.id("name-error")));
		WebElement focused = chromium.driver().switchTo().activeElement();
		assertThat(focused.getAttribute("id")).isEqualTo("name");
		assertThat(focused.getAttribute("aria-invalid")).isEqualTo("true");
	}

	@Test
	void aCopyButtonSaysCopiedAndAnnouncesIt() {
		chromium.driver()
			.executeCdpCommand("Browser.grantPermissions", Map.of("origin", control(""), "permissions",
					List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
		chromium.driver().get(control("/console/tokens/new"));
		chromium.type(By.id("name"), "copied-token");
		chromium.click(By.id("scope-read"));
		chromium.click(By.id("create-token"));
		chromium.click(By.id("copy-token"));
		chromium.until(ExpectedConditions.textToBe(By.id("copy-token"), "Copied"));
		chromium.until(ExpectedConditions.textToBe(By.id("console-announce"), "Copied to the clipboard"));
		assertThat(chromium.driver().findElement(By.id("console-announce")).getAttribute("aria-live"))
			.isEqualTo("polite");
	}

	/**
	 * The GET mappings under {@code /console} that answer with a page.
	 */
	private Set<String> consolePages() {
		Set<String> pages = new TreeSet<>();
		for (RequestMappingInfo info : this.mappings.getHandlerMethods().keySet()) {
			Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
			if (!methods.isEmpty() && !methods.contains(RequestMethod.GET)) {
				continue;
			}
			for (String pattern : info.getPatternValues()) {
				if (pattern.startsWith("/console/") && !pattern.equals("/console/login")
						&& NOT_PAGES.stream().noneMatch(pattern::startsWith)) {
					pages.add(pattern);
				}
			}
		}
		return pages;
	}

}
