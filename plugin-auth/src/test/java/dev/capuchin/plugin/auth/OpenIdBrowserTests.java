package dev.capuchin.plugin.auth;

import java.io.File;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.capuchin.core.testing.KernelFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * An {@code openid} location in a real headless Chromium against the real
 * {@code oidc-provider}: the browser is sent to the provider, signs in on its form and
 * comes back to the URL it asked for with its query; a user the claim rules refuse gets a
 * 403 page naming nothing secret; logout ends the site's session and, confirmed at the
 * provider, the provider's. Chromium is started as platform-app's browser tests start it.
 */
class OpenIdBrowserTests {

	private static int kernelPort;

	private static OpenIdProvider provider;

	@TempDir
	Path temp;

	private KernelFixture kernel;

	private ChromeDriver chromium;

	@BeforeAll
	static void startProvider() throws Exception {
		kernelPort = OpenIdProvider.freePort();
		provider = OpenIdProvider.start("http://127.0.0.1:" + kernelPort + "/.capuchin/openid/callback");
	}

	@AfterAll
	static void stopProvider() throws Exception {
		if (provider != null) {
			provider.close();
		}
	}

	@BeforeEach
	void start() throws Exception {
		Path browser = executable("chromium", "chromium-browser", "google-chrome");
		Path driver = executable("chromedriver");
		assumeTrue(browser != null && driver != null, "chromium and chromedriver are not installed");
		this.kernel = KernelFixture.builder(this.temp.resolve("node"))
			.listenerAddress(new InetSocketAddress("127.0.0.1", kernelPort))
			.plugin(new AuthPlugin(AuthSettings.defaults()))
			.defaultSite(Map.of("locations",
					List.of(Map.of("path", "/team/", "auth",
							Map.of("realm", "Team", "openid",
									OpenIdSocketTests.openid(provider.url(),
											Map.of("require", Map.of("claims", Map.of("groups", "staff")))))))))
			.file("team/page.html", "<!DOCTYPE html><title>Team</title><p id=\"team\">team page</p>")
			.start();
		ChromeOptions options = new ChromeOptions();
		options.setBinary(browser.toString());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
				"--user-data-dir=" + this.temp.resolve("profile"), "--window-size=1280,900");
		this.chromium = new ChromeDriver(
				new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile()).usingAnyFreePort().build(),
				options);
	}

	@AfterEach
	void stop() {
		if (this.chromium != null) {
			this.chromium.quit();
		}
		if (this.kernel != null) {
			this.kernel.close();
		}
	}

	private String site() {
		return "http://127.0.0.1:" + kernelPort;
	}

	@Test
	void aBrowserSignsInAtTheProviderComesBackToItsUrlAndSignsOut() {
		this.chromium.get(site() + "/team/page.html?x=1&y=%C3%A9");
		signInAs("alice");
		wait(ExpectedConditions.presenceOfElementLocated(By.id("team")));
		assertThat(this.chromium.getCurrentUrl()).isEqualTo(site() + "/team/page.html?x=1&y=%C3%A9");
		assertThat(this.chromium.findElement(By.id("team")).getText()).isEqualTo("team page");
		assertThat(this.chromium.manage().getCookieNamed("capuchin-openid-corp")).isNotNull();

		this.chromium.get(site() + "/.capuchin/openid/logout");
		assertThat(this.chromium.manage().getCookieNamed("capuchin-openid-corp")).isNull();
		assertThat(this.chromium.getCurrentUrl()).startsWith(provider.url() + "/session/end");
		this.chromium.findElement(By.cssSelector("button[name=logout][value=yes]")).click();
		wait(ExpectedConditions.not(ExpectedConditions.urlContains("/session/end?")));

		this.chromium.get(site() + "/team/page.html");
		wait(ExpectedConditions.presenceOfElementLocated(By.name("login")));
		assertThat(this.chromium.getCurrentUrl()).startsWith(provider.url() + "/interaction/");
	}

	@Test
	void aUserTheClaimRulesRefuseSeesA403PageNamingNothingSecret() {
		this.chromium.get(site() + "/team/page.html");
		signInAs("bob");
		wait(ExpectedConditions.urlToBe(site() + "/team/page.html"));
		String page = this.chromium.getPageSource();
		assertThat(page).contains("403").doesNotContain("staff", "guests", "bob", "corp", "groups", "team page");
	}

	private void signInAs(String user) {
		wait(ExpectedConditions.presenceOfElementLocated(By.name("login")));
		assertThat(this.chromium.getCurrentUrl()).startsWith(provider.url() + "/interaction/");
		this.chromium.findElement(By.name("login")).sendKeys(user);
		this.chromium.findElement(By.name("password")).sendKeys("any");
		this.chromium.findElement(By.tagName("button")).click();
	}

	private <T> T wait(org.openqa.selenium.support.ui.ExpectedCondition<T> condition) {
		return new WebDriverWait(this.chromium, Duration.ofSeconds(30)).until(condition);
	}

	private static Path executable(String... names) {
		List<Path> directories = new ArrayList<>();
		for (String directory : Objects.requireNonNullElse(System.getenv("PATH"), "").split(File.pathSeparator)) {
			if (!directory.isEmpty()) {
				directories.add(Path.of(directory));
			}
		}
		directories.add(Path.of("/usr/bin"));
		for (String name : names) {
			for (Path directory : directories) {
				Path candidate = directory.resolve(name);
				if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
					return candidate;
				}
			}
		}
		return null;
	}

}
