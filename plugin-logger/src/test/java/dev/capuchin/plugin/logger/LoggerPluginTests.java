package dev.capuchin.plugin.logger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.capuchin.core.internal.site.SiteLoader;
import dev.capuchin.core.spi.SiteTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class LoggerPluginTests {

	@TempDir
	Path temp;

	@Test
	void anUnknownKeyIsRefusedNamingTheSiteAndTheKey() {
		assertThatIllegalArgumentException().isThrownBy(() -> prepare(Map.of("acces-log", "a.log")))
			.withMessage("site shop: logger.acces-log: unknown key (expected: access-log, error-log or format)");
	}

	@Test
	void aBadPatternIsRefusedNamingTheSiteAndTheKey() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> prepare(Map.of("access-log", this.temp.resolve("a.log").toString(), "format",
					"pattern:%{client} %{referrer}")))
			.withMessageStartingWith("site shop: logger.format: pattern: unknown field %{referrer}");
	}

	@Test
	void aBadPatternInALocationIsRefusedNamingTheLocation() {
		Map<String, Object> keys = site(Map.of());
		keys.put("locations", List.of(Map.of("path", "/api", "logger", Map.of("format", "pattern:%{status"))));
		assertThatIllegalArgumentException().isThrownBy(() -> prepareSite(keys))
			.withMessageStartingWith("site shop: location path /api: logger.format: pattern: '%{' at 0 is not closed");
	}

	@Test
	void anUnknownFormatIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> prepare(Map.of("format", "extended")))
			.withMessage("site shop: logger.format: 'extended' (expected: combined, common, json or "
					+ "pattern:<text with %{field}>)");
	}

	@Test
	void aPathThatCannotBeOpenedIsRefused() throws Exception {
		Path file = Files.writeString(this.temp.resolve("plain"), "x");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> prepare(Map.of("access-log", file.resolve("sub/a.log").toString())))
			.withMessageStartingWith("site shop: logger.access-log: cannot open " + file.resolve("sub/a.log"));
	}

	@Test
	void aNonTextPathIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> prepare(Map.of("error-log", 42)))
			.withMessage("site shop: logger.error-log: 42 (expected: a file path, stdout or off)");
	}

	@Test
	void aBadGlobalFormatIsRefusedNamingTheProperty() {
		assertThatIllegalArgumentException().isThrownBy(() -> LoggerSettings.defaults().withFormat("pattern:%x"))
			.withMessageStartingWith("capuchin.plugins.logger.format: pattern: '%' at 0");
	}

	@Test
	void globalLimitsAreChecked() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LoggerSettings.defaults().withBuffer(0, Duration.ofSeconds(1)))
			.withMessage("capuchin.plugins.logger.buffer-size: 0 (expected: > 0)");
		assertThatIllegalArgumentException().isThrownBy(() -> LoggerSettings.defaults().withBuffer(1, Duration.ZERO))
			.withMessage("capuchin.plugins.logger.flush-interval: PT0S (expected: > 0)");
		assertThatIllegalArgumentException().isThrownBy(() -> LoggerSettings.defaults().withRotation(-1, false, 1))
			.withMessage("capuchin.plugins.logger.max-size: -1 (expected: >= 0)");
		assertThatIllegalArgumentException().isThrownBy(() -> LoggerSettings.defaults().withRotation(0, false, -1))
			.withMessage("capuchin.plugins.logger.max-files: -1 (expected: >= 0)");
	}

	@Test
	void offValuesSwitchAGlobalLogOff() {
		assertThat(LoggerSettings.defaults().withAccessLog("off").accessLog()).isNull();
		assertThat(LoggerSettings.defaults().withAccessLog("false").accessLog()).isNull();
		assertThat(LoggerSettings.defaults().withErrorLog("none").errorLog()).isNull();
		assertThat(LoggerSettings.defaults().withErrorLog(" /var/log/e.log ").errorLog()).isEqualTo("/var/log/e.log");
	}

	@Test
	void aGoodTableIsAcceptedAndOpensNothingForLogsThatAreOff() {
		LoggerPlugin logger = new LoggerPlugin(LoggerSettings.defaults());
		Object state = logger.prepare(table(site(Map.of("access-log", false))));
		assertThat(state).isNotNull();
		assertThat(logger.files()).isEmpty();
	}

	private Object prepare(Map<String, Object> block) {
		return prepareSite(site(block));
	}

	private Object prepareSite(Map<String, Object> keys) {
		return new LoggerPlugin(LoggerSettings.defaults()).prepare(table(keys));
	}

	private Map<String, Object> site(Map<String, Object> block) {
		Map<String, Object> keys = new LinkedHashMap<>();
		keys.put("name", "shop");
		keys.put("document-root", this.temp.toString());
		keys.put("logger", block);
		return keys;
	}

	private SiteTable table(Map<String, Object> keys) {
		return SiteTable.of(new SiteLoader(this.temp).parse(keys, "shop"));
	}

}
