package dev.capuchin.app.shared.console;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.function.Function;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.ElementClickInterceptedException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One {@link HeadlessChromium} for a browser test class, started before its first test
 * and quit after its last, with the few gestures the console's journeys repeat. Register
 * it on a static field with {@code @RegisterExtension}.
 */
public final class Browser implements BeforeAllCallback, AfterAllCallback {

	private static final Duration WAIT = Duration.ofSeconds(20);

	/** The window width of a desktop browser. */
	public static final int DESKTOP = 1280;

	/** The window width of a phone. */
	public static final int PHONE = 390;

	private ChromeDriver driver;

	private WebDriverWait wait;

	@Override
	public void beforeAll(ExtensionContext context) throws IOException {
		this.driver = HeadlessChromium.start(Files.createTempDirectory("capuchin-chromium-"));
		this.wait = new WebDriverWait(this.driver, WAIT);
		// pages that refresh themselves (dashboard, Proxy) redraw the elements a
		// condition
		// found a moment ago: ask again rather than fail
		this.wait.ignoring(StaleElementReferenceException.class);
	}

	@Override
	public void afterAll(ExtensionContext context) {
		if (this.driver != null) {
			this.driver.quit();
		}
	}

	/**
	 * The browser.
	 * @return the driver
	 */
	public ChromeDriver driver() {
		return this.driver;
	}

	/**
	 * Wait (up to 20 seconds) for a condition, asking again when the element it read was
	 * redrawn meanwhile.
	 * @param condition the condition
	 * @return its value once it is neither {@code null} nor {@code false}
	 */
	public <T> T until(Function<? super WebDriver, T> condition) {
		return this.wait.until(condition);
	}

	/**
	 * Type into a field once it is visible, replacing what it held.
	 * @param field the field
	 * @param text what to type
	 */
	public void type(By field, String text) {
		WebElement element = until(ExpectedConditions.visibilityOfElementLocated(field));
		element.clear();
		element.sendKeys(text);
	}

	/**
	 * Click a button or link once it is clickable.
	 * @param button what to click
	 */
	public void click(By button) {
		WebElement element = until(ExpectedConditions.elementToBeClickable(button));
		try {
			element.click();
		}
		catch (ElementClickInterceptedException ex) {
			// headless Chromium's window can be taller than what it draws: scroll, then
			// click
			this.driver.executeScript("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", element);
		}
	}

	/**
	 * Fill in and send the sign-in form of the page shown.
	 * @param username the user name
	 * @param password the password
	 */
	public void signIn(String username, String password) {
		type(By.id("username"), username);
		type(By.id("password"), password);
		click(By.id("sign-in"));
	}

	/**
	 * Set the window's width (at the usual height of 900 pixels).
	 * @param width {@link #DESKTOP} or {@link #PHONE}
	 */
	public void width(int width) {
		this.driver.manage().window().setSize(new Dimension(width, 900));
	}

	/**
	 * Check the page shown with axe-core: no serious or critical violation.
	 */
	public void accessible() {
		assertThat(Axe.violations(this.driver))
			.as("axe-core on %s at %d px", this.driver.getCurrentUrl(),
					this.driver.manage().window().getSize().getWidth())
			.isEmpty();
	}

	/**
	 * The text of the page's flash message, once it shows.
	 * @return the message
	 */
	public String flash() {
		return until(ExpectedConditions.visibilityOfElementLocated(By.id("flash"))).getText();
	}

}
