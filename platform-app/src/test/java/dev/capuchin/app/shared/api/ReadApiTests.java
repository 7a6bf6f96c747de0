package dev.capuchin.app.shared.api;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import dev.capuchin.app.audit.AuditLog;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

class ReadApiTests extends ApiTestSupport {

	@Autowired
	AuditLog audit;

	@Test
	@SuppressWarnings("unchecked")
	void theAuditLogIsPagedNewestFirstByEntryNumber() throws Exception {
		for (int i = 0; i < 3; i++) {
			this.audit.record("pager", "test", "entry " + i, null, "n: " + i);
		}
		HttpResponse<String> first = get("/api/audit?limit=2", ADMIN);
		assertThat(first.statusCode()).isEqualTo(200);
		List<Map<String, Object>> entries = (List<Map<String, Object>>) object(first).get("entries");
		assertThat(entries).extracting((entry) -> entry.get("target")).containsExactly("entry 2", "entry 1");
		assertThat(entries.get(0)).containsKeys("id", "at", "actor", "action", "before", "after");
		long last = ((Number) entries.get(1).get("id")).longValue();
		String next = (String) object(first).get("next");
		assertThat(next).isEqualTo("/api/audit?limit=2&before=" + last);
		List<Map<String, Object>> older = (List<Map<String, Object>>) object(get(next, ADMIN)).get("entries");
		assertThat(older.get(0)).containsEntry("target", "entry 0");
		assertThat(((Number) older.get(0).get("id")).longValue()).isLessThan(last);
		Map<String, Object> end = object(get("/api/audit?limit=200&before=" + last, ADMIN));
		assertThat(end.get("next")).isNull();
	}

	@Test
	void badAuditParametersAreRefusedByName() throws Exception {
		assertRefused(get("/api/audit?limit=0", ADMIN), 400, "limit: 0 (expected: 1..200)");
		assertRefused(get("/api/audit?limit=201", ADMIN), 400, "limit: 201");
		assertRefused(get("/api/audit?before=abc", ADMIN), 400, "before: 'abc'");
		assertRefused(get("/api/audit?before=0", ADMIN), 400, "before: 0");
	}

	@Test
	void thePluginsAreListedWithTheirStages() throws Exception {
		HttpResponse<String> response = get("/api/plugins", ADMIN);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(array(response)).anySatisfy((plugin) -> {
			assertThat(plugin).containsEntry("name", "request-counter").containsEntry("running", true);
			assertThat(plugin).containsEntry("stages", List.of("LOG"));
		});
	}

	@Test
	@SuppressWarnings("unchecked")
	void theStatusShowsWhatTheDashboardShows() throws Exception {
		dataPlane("localhost", "/");
		HttpResponse<String> response = get("/api/status", ADMIN);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("cache-control")).hasValue("no-store");
		Map<String, Object> status = object(response);
		assertThat(status).containsEntry("running", true)
			.containsKeys("uptime-seconds", "started-at", "balancing", "configuration-version", "requests-per-second",
					"recent-errors");
		assertThat(status.get("transport")).isIn("epoll", "io-uring", "nio");
		assertThat((List<String>) status.get("listeners")).singleElement()
			.satisfies((listener) -> assertThat(listener).startsWith("127.0.0.1:"));
		List<Map<String, Object>> workers = (List<Map<String, Object>>) status.get("workers");
		assertThat(workers).hasSize(2)
			.allSatisfy((worker) -> assertThat(worker).containsKeys("name", "connections", "accepted", "fdt"));
		assertThat((Map<String, Object>) workers.get(0).get("fdt")).containsKeys("open", "hits", "misses", "hit-rate");
		Map<String, Object> totals = (Map<String, Object>) status.get("totals");
		assertThat(((Number) totals.get("accepted")).longValue()).isPositive();
		assertThat(totals).containsKeys("connections", "fdt-hits", "fdt-misses", "fdt-hit-rate");
		List<Map<String, Object>> sites = (List<Map<String, Object>>) status.get("sites");
		assertThat(sites).singleElement()
			.satisfies((site) -> assertThat(site).containsEntry("name", "default")
				.containsEntry("is-default", true)
				.containsKeys("server-names", "document-root"));
		assertThat((List<Map<String, Object>>) status.get("plugins"))
			.allSatisfy((plugin) -> assertThat(plugin).containsKeys("name", "enabled", "profile", "stages"));
	}

	@Test
	void anUnknownApiAddressIsA404WithoutAStackTrace() throws Exception {
		HttpResponse<String> missing = get("/api/nothing-here", ADMIN);
		assertThat(missing.statusCode()).isEqualTo(404);
		assertThat(missing.body()).doesNotContain("Exception", "\tat ");
	}

}
