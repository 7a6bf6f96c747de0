package dev.capuchin.app.logs;

import dev.capuchin.app.shared.console.PluginsConsoleTestSupport;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ConsoleLogsTests extends PluginsConsoleTestSupport {

	@Test
	void theLogsPageShowsTheLinesOfRequestsToTheSiteAndFiltersThem() throws Exception {
		Path access = TEMP.resolve("logs/tailed.access.log");
		Path error = TEMP.resolve("logs/tailed.error.log");
		site("tailed", Map.of("logger", Map.of("access-log", access.toString(), "error-log", error.toString())));
		assertThat(dataPlane("tailed.test", "/").statusCode()).isEqualTo(200);
		assertThat(dataPlane("tailed.test", "/missing-page?<b>").statusCode()).isEqualTo(404);
		HttpClient browser = admin();
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			String lines = httpGet(browser, "/console/logs?site=tailed&log=access").body();
			return lines.contains("GET /missing-page") && lines.contains("GET / HTTP/1.1");
		});
		String page = httpGet(browser, "/console/logs?site=tailed&log=access").body();
		assertThat(page).contains("GET / HTTP/1.1")
			.contains(access.toString())
			.contains("site tailed: logger.access-log")
			.contains("hx-get=\"/console/logs/tail?site=tailed&amp;log=access")
			.contains("hx-trigger=\"every 2s\"")
			.doesNotContain("<b>");
		String filtered = httpGet(browser, "/console/logs?site=tailed&log=access&filter=MISSING-page").body();
		assertThat(filtered).contains("GET /missing-page").doesNotContain("GET / HTTP/1.1");
		String fragment = httpGet(browser, "/console/logs/tail?site=tailed&log=access&filter=missing").body();
		assertThat(fragment).contains("GET /missing-page").doesNotContain("<html");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> httpGet(browser, "/console/logs?site=tailed&log=error").body()
				.contains("404 GET /missing-page"));
		String paused = httpGet(browser, "/console/logs?site=tailed&log=access&paused=true").body();
		assertThat(paused).doesNotContain("hx-trigger=\"every 2s\"").contains("id=\"resume\"");
	}

	@Test
	void aSiteWithoutALogSaysSoAndAMissingFileIsAnEmptyState() throws Exception {
		HttpClient browser = admin();
		assertThat(httpGet(browser, "/console/logs?site=default&log=access").body()).contains("id=\"log-elsewhere\"")
			.contains("This site writes no access log");
		site("quiet", Map.of("logger",
				Map.of("access-log", TEMP.resolve("logs/never.log").toString(), "error-log", "stdout")));
		assertThat(httpGet(browser, "/console/logs?site=quiet&log=access").body()).contains("The file is empty.");
		// the log writer opens a new site's files on its own thread, creating
		// them: once it has reopened every file (synchronously), the file
		// deleted below stays deleted
		assertThat(api("POST", "/actuator/logger", null).statusCode()).isEqualTo(200);
		Files.delete(TEMP.resolve("logs/never.log"));
		assertThat(httpGet(browser, "/console/logs?site=quiet&log=access").body()).contains("id=\"log-missing\"");
		assertThat(httpGet(browser, "/console/logs?site=quiet&log=error").body())
			.contains("goes to the standard output");
		assertThat(httpGet(browser, "/console/logs?site=nowhere").statusCode()).isEqualTo(404);
	}

	@Test
	void theApiGivesTheLastLinesAsJson() throws Exception {
		Path access = TEMP.resolve("logs/api.access.log");
		site("apilog", Map.of("logger", Map.of("access-log", access.toString())));
		// each exchange is logged after its answer went out, possibly on another worker:
		// the second request waits for the first line so the file's order is known
		dataPlane("apilog.test", "/first");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> api("GET", "/api/logs/apilog/access", null).body().contains("GET /first"));
		dataPlane("apilog.test", "/second");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> api("GET", "/api/logs/apilog/access", null).body().contains("GET /second"));
		var last = api("GET", "/api/logs/apilog/access?lines=1", null);
		assertThat(last.statusCode()).isEqualTo(200);
		assertThat(last.body()).contains("\"destination\":\"file\"")
			.contains("GET /second")
			.doesNotContain("GET /first");
		assertThat(api("GET", "/api/logs/apilog/access?filter=first", null).body()).contains("GET /first")
			.doesNotContain("GET /second");
		assertThat(api("GET", "/api/logs/default/access", null).body()).contains("\"destination\":\"off\"")
			.contains("\"lines\":[]");
		var unknown = api("GET", "/api/logs/nowhere/access", null);
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(unknown.body()).isEqualTo("{\"error\":\"site: 'nowhere' does not exist\"}");
		var badLog = api("GET", "/api/logs/apilog/debug", null);
		assertThat(badLog.statusCode()).isEqualTo(400);
		assertThat(badLog.body()).contains("log: 'debug' (expected: access or error)");
		assertThat(api("GET", "/api/logs/apilog/access?lines=0", null).body())
			.contains("lines: '0' (expected: 1..500)");
	}

}
