package dev.capuchin.app.audit;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.capuchin.app.shared.api.ApiTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AuditEntriesTests extends ApiTestSupport {

	@Test
	void fiveDifferentChangesToOneSiteGiveFiveEntriesSayingWhatChanged() throws Exception {
		Path one = documentRoot("audited-one", "one");
		Path two = documentRoot("audited-two", "two");
		Map<String, Object> site = new LinkedHashMap<>();
		site.put("name", "audited");
		site.put("server-names", List.of("audited.test"));
		site.put("document-root", one.toString());
		assertThat(send("POST", "/api/sites", ADMIN, toJson(site)).statusCode()).isEqualTo(201);
		site.put("locations", List.of(Map.of("path", "/admin/")));
		put(site);
		site.put("mandril", Map.of("uri", Map.of("deny", List.of("/secret/"))));
		put(site);
		site.put("document-root", two.toString());
		put(site);
		site.put("note", Map.of("x", 1));
		put(site);
		assertThat(send("POST", "/api/sites/audited/disable", ADMIN, null).statusCode()).isEqualTo(200);
		List<Map<String, Object>> entries = entries("/api/audit?target=audited&limit=10");
		assertThat(entries).extracting((entry) -> entry.get("action") + " " + entry.get("target"))
			.containsExactly("disabled site audited", "added plugin block note on audited",
					"changed field document-root on audited", "added access rule uri-deny /secret/ on audited",
					"added location /admin/ on audited", "added site audited");
	}

	@Test
	void theAuditApiFiltersByActorObjectAndTimeAndItsNextPageKeepsTheFilter() throws Exception {
		for (String name : List.of("filtered-a", "filtered-b", "filtered-c")) {
			assertThat(send("POST", "/api/sites", ADMIN,
					toJson(Map.of("name", name, "document-root", documentRoot(name + "-root", name).toString())))
				.statusCode()).isEqualTo(201);
		}
		Map<String, Object> first = object(get("/api/audit?actor=admin&target=SITE%20FILTERED-&limit=2", ADMIN));
		assertThat((List<Map<String, Object>>) first.get("entries")).extracting((entry) -> entry.get("target"))
			.containsExactly("site filtered-c", "site filtered-b");
		String next = (String) first.get("next");
		assertThat(next).contains("actor=admin", "target=");
		assertThat(entries(next)).extracting((entry) -> entry.get("target")).containsExactly("site filtered-a");
		assertThat(entries("/api/audit?actor=nobody&target=filtered")).isEmpty();
		String later = URLEncoder.encode(Instant.now().plusSeconds(3600).toString(), StandardCharsets.UTF_8);
		assertThat(entries("/api/audit?target=filtered&since=" + later)).isEmpty();
		assertThat(entries("/api/audit?target=filtered&until=" + later)).hasSize(3);
		assertRefused(get("/api/audit?since=yesterday", ADMIN), 400,
				"since: 'yesterday' (expected: an instant like 2026-12-07T08:00:00Z or a date like 2026-12-07)");
	}

	private void put(Map<String, Object> site) throws Exception {
		assertThat(send("PUT", "/api/sites/" + site.get("name"), ADMIN, toJson(site)).statusCode()).isEqualTo(200);
	}

	@SuppressWarnings("unchecked")
	private List<Map<String, Object>> entries(String path) throws Exception {
		return (List<Map<String, Object>>) object(get(path, ADMIN)).get("entries");
	}

}
