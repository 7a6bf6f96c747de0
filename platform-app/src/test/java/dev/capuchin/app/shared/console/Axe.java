package dev.capuchin.app.shared.console;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openqa.selenium.chrome.ChromeDriver;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The accessibility engine axe-core (the npm package, {@code src/test/axe}), injected
 * into the page a browser test shows and run there. Its dependencies are installed once
 * with {@code npm ci} from the committed lock file; without {@code node} and {@code npm}
 * the test that asks is skipped, as the identity tests' Node client is.
 */
public final class Axe {

	/** The impacts a page must not have. */
	static final List<String> FORBIDDEN = List.of("serious", "critical");

	private static final Path DIRECTORY = Path.of("src/test/axe").toAbsolutePath();

	private static final Path SCRIPT = DIRECTORY.resolve("node_modules/axe-core/axe.min.js");

	private static String source;

	private Axe() {
	}

	/**
	 * The serious and critical violations of the page shown, one line each: the rule, its
	 * help text and the first elements at fault.
	 * @param driver the browser
	 * @return the violations, empty for none
	 */
	@SuppressWarnings("unchecked")
	public static List<String> violations(ChromeDriver driver) {
		String script = source();
		driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
		// injected through the driver, which the console's content security policy does
		// not restrict
		driver.executeScript(script);
		Object result = driver.executeAsyncScript("""
				var done = arguments[arguments.length - 1];
				var forbidden = arguments[0];
				axe.run(document, { resultTypes: ['violations'] }).then(function (results) {
				  done(results.violations.filter(function (v) { return forbidden.indexOf(v.impact) >= 0; })
				    .map(function (v) {
				      return v.impact + ' ' + v.id + ': ' + v.help + ' at '
				        + v.nodes.slice(0, 5).map(function (n) {
				          var data = n.any && n.any[0] && n.any[0].data;
				          var colors = (data && data.fgColor) ? ' (' + data.fgColor + ' on ' + data.bgColor + ', '
				            + data.contrastRatio + ':1)' : '';
				          return n.target.join(' ') + colors;
				        }).join(', ');
				    }));
				}, function (error) { done(['axe failed: ' + error]); });
				""", FORBIDDEN);
		return (List<String>) result;
	}

	private static synchronized String source() {
		if (source == null) {
			try {
				if (!Files.isRegularFile(SCRIPT)) {
					assumeTrue(onPath("node") && onPath("npm"),
							"node and npm are not installed: the axe-core checks are skipped (.ci/run installs them)");
					npmCi();
				}
				source = Files.readString(SCRIPT, StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				throw new IllegalStateException("cannot read " + SCRIPT, ex);
			}
		}
		return source;
	}

	private static void npmCi() throws IOException {
		Process process = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(DIRECTORY.toFile())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		try {
			if (!process.waitFor(300, TimeUnit.SECONDS) || process.exitValue() != 0) {
				process.destroyForcibly();
				throw new IllegalStateException("npm ci in " + DIRECTORY + " failed");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while installing axe-core", ex);
		}
	}

	private static boolean onPath(String program) {
		String path = System.getenv("PATH");
		if (path == null) {
			return false;
		}
		for (String directory : path.split(File.pathSeparator)) {
			if (Files.isExecutable(Path.of(directory, program))) {
				return true;
			}
		}
		return false;
	}

}
