package dev.capuchin.app.shared.console;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium for the browser tests, through its chromedriver (both found on
 * {@code PATH}), and the README's screenshots, saved when the system property
 * {@code capuchin.screenshots} is set: to {@code docs/screenshots} when it is empty or
 * {@code true}, else to the directory it names. Without it nothing is saved.
 */
public final class HeadlessChromium {

	private static final int HEIGHT = 900;

	private static final int MAX_HEIGHT = 2400;

	private HeadlessChromium() {
	}

	/**
	 * Start a browser with a window of 1280 × 900.
	 * @param profile an empty directory for the browser's profile
	 * @return the browser
	 */
	public static ChromeDriver start(Path profile) {
		return start(profile, new String[0]);
	}

	/**
	 * Start a browser with a window of 1280 × 900 and more command-line switches.
	 * @param profile an empty directory for the browser's profile
	 * @param arguments more switches, such as {@code --host-resolver-rules=...}
	 * @return the browser
	 */
	public static ChromeDriver start(Path profile, String... arguments) {
		ChromeOptions options = new ChromeOptions();
		options.addArguments(arguments);
		options.setBinary(executable("chromium", "chromium-browser", "google-chrome").toString());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
				"--user-data-dir=" + profile, "--window-size=1280,900", "--force-device-scale-factor=1");
		ChromeDriverService service = new ChromeDriverService.Builder()
			.usingDriverExecutable(executable("chromedriver").toFile())
			.usingAnyFreePort()
			.build();
		ChromeDriver driver = new ChromeDriver(service, options);
		driver.manage().window().setSize(new Dimension(1280, HEIGHT));
		return driver;
	}

	/**
	 * The first of the names found as an executable on {@code PATH}, or in
	 * {@code /usr/bin} where Debian's packages put them when {@code PATH} lacks it.
	 * @param names the names to look for, preferred first
	 * @return the executable
	 */
	static Path executable(String... names) {
		String path = Objects.requireNonNullElse(System.getenv("PATH"), "");
		List<Path> directories = new ArrayList<>();
		for (String directory : path.split(File.pathSeparator)) {
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
		throw new IllegalStateException(String.join(" or ", names) + ": not found on PATH (" + path
				+ ") nor in /usr/bin (expected: Chromium and its driver, as Debian's chromium and chromium-driver install them)");
	}

	/**
	 * Save what the browser shows.
	 * @param driver the browser
	 * @param name the file name without {@code .png}
	 */
	public static void screenshot(ChromeDriver driver, String name) {
		Path directory = directory();
		if (directory != null) {
			write(driver, directory, name);
		}
	}

	/**
	 * Save the whole page (up to 2400 pixels high) at a window width, then restore the
	 * browser's usual window.
	 * @param driver the browser
	 * @param name the file name without {@code .png}
	 * @param width the window width, such as 390 for a phone
	 */
	public static void screenshot(ChromeDriver driver, String name, int width) {
		Path directory = directory();
		if (directory == null) {
			return;
		}
		WebDriver.Window window = driver.manage().window();
		Dimension usual = window.getSize();
		window.setSize(new Dimension(width, HEIGHT));
		long height = (Long) ((JavascriptExecutor) driver)
			.executeScript("return document.documentElement.scrollHeight;");
		window.setSize(new Dimension(width, (int) Math.min(height, MAX_HEIGHT)));
		write(driver, directory, name);
		window.setSize(usual);
	}

	private static Path directory() {
		String target = System.getProperty("capuchin.screenshots");
		if (target == null) {
			return null;
		}
		return (target.isBlank() || target.equals("true")) ? Path.of("..", "docs", "screenshots") : Path.of(target);
	}

	private static void write(ChromeDriver driver, Path directory, String name) {
		try {
			Files.createDirectories(directory);
			Files.write(directory.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot save screenshot " + name, ex);
		}
	}

}
