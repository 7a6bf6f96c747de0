package dev.capuchin.app.sites;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.capuchin.app.shared.console.PluginsConsoleTestSupport;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class NewSiteLogsTests extends PluginsConsoleTestSupport {

	@Test
	void aNewSitesAccessLogIsListedAtOnceWithoutALoggerBlock() throws Exception {
		String body = "{\"name\": \"new-logged\", \"server-names\": [\"new-logged.test\"], \"document-root\": \""
				+ documentRoot("new-logged-root", "new-logged").toString().replace("\\", "\\\\") + "\"}";
		assertThat(api("POST", "/api/sites", body).statusCode()).isEqualTo(201);
		Map<String, Object> log = json(api("GET", "/api/logs/new-logged/access", null));
		assertThat(log).containsEntry("destination", "file");
		assertThat((String) log.get("path")).endsWith("new-logged.access.log");
		dataPlane("new-logged.test", "/hello-log");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(
					() -> assertThat((List<String>) json(api("GET", "/api/logs/new-logged/access", null)).get("lines"))
						.anySatisfy((line) -> assertThat(line).contains("GET /hello-log")));
		assertThat((String) json(api("GET", "/api/logs/new-logged/error", null)).get("path"))
			.endsWith("new-logged.error.log");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> json(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return JsonMapper.shared().readValue(response.body(), Map.class);
	}

}
