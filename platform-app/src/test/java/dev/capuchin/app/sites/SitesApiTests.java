package dev.capuchin.app.sites;

import dev.capuchin.app.shared.api.ApiTestSupport;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.app.audit.AuditLog;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

class SitesApiTests extends ApiTestSupport {

	@Autowired
	ConfigService config;

	@Autowired
	AuditLog audit;

	@Test
	void theSitesAreListedWithTheKeysOfTheConfigurationDocument() throws Exception {
		HttpResponse<String> listed = get("/api/sites", ADMIN);
		assertThat(listed.statusCode()).isEqualTo(200);
		assertThat(listed.headers().firstValue("content-type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/json"));
		assertThat(array(listed)).anySatisfy((site) -> {
			assertThat(site).containsEntry("name", "default").containsEntry("enabled", true);
			assertThat(site).containsEntry("server-names", List.of("localhost")).containsEntry("default", true);
			assertThat(site).containsKeys("document-root", "index-files", "fdt", "follow-symlinks", "precompressed");
		});
		Map<String, Object> site = object(get("/api/sites/default", ADMIN));
		assertThat(site.keySet()).startsWith("name", "enabled", "server-names");
		assertThat(site.get("document-root")).isEqualTo(TEMP.resolve("default-root").toString());
	}

	@Test
	void anUnknownSiteIsA404() throws Exception {
		assertRefused(get("/api/sites/nowhere", ADMIN), 404, "site 'nowhere': not found");
		assertRefused(send("PUT", "/api/sites/nowhere", ADMIN, "{}"), 404, "site 'nowhere': not found");
		assertRefused(send("DELETE", "/api/sites/nowhere", ADMIN, null), 404, "site 'nowhere': not found");
		assertRefused(send("POST", "/api/sites/nowhere/enable", ADMIN, null), 404, "site 'nowhere': not found");
	}

	@Test
	void aSiteCreatedThroughTheApiIsServedAtOnce() throws Exception {
		Path root = documentRoot("shop-root", "shop home");
		long before = this.config.appliedVersion();
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("name", "shop");
		body.put("server-names", List.of("shop.test", "*.shop.test"));
		body.put("document-root", root.toString());
		body.put("error-pages", Map.of("404", "/missing.html"));
		body.put("locations", List.of(Map.of("path", "/private/")));
		HttpResponse<String> created = send("POST", "/api/sites", ADMIN, toJson(body));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		assertThat(created.headers().firstValue("location"))
			.hasValueSatisfying((location) -> assertThat(location).endsWith("/api/sites/shop"));
		Map<String, Object> outcome = object(created);
		assertThat(outcome).containsEntry("applied", true).containsEntry("dry-run", false);
		assertThat(((Number) outcome.get("version")).longValue()).isEqualTo(before + 1);
		assertThat((List<Map<String, Object>>) outcome.get("changes")).singleElement().satisfies((change) -> {
			assertThat(change).containsEntry("site", "shop").containsEntry("change", "added");
			assertThat(change).doesNotContainKey("before");
		});
		assertThat(dataPlane("www.shop.test", "/")).containsExactly("200", "shop home");
		Map<String, Object> stored = object(get("/api/sites/shop", ADMIN));
		assertThat(stored.get("locations")).isEqualTo(List.of(Map.of("path", "/private/")));
		assertThat(stored.get("error-pages")).isEqualTo(Map.of("404", "/missing.html"));
		assertThat(this.audit.recent(10)).anySatisfy((entry) -> {
			assertThat(entry.target()).isEqualTo("site shop");
			assertThat(entry.actor()).isEqualTo("admin");
			assertThat(entry.action()).isEqualTo("added");
		});
	}

	@Test
	void invalidSitesAreRefusedNamingTheFieldAndNothingChanges() throws Exception {
		long before = this.config.appliedVersion();
		assertRefused(
				send("POST", "/api/sites", ADMIN,
						toJson(Map.of("name", "broken", "document-root", TEMP.resolve("missing").toString()))),
				400, "site broken: document-root: ");
		assertRefused(send("POST", "/api/sites", ADMIN, toJson(Map.of("document-root", TEMP.toString()))), 400,
				"name: missing");
		assertRefused(
				send("POST", "/api/sites", ADMIN,
						toJson(Map.of("name", "flag", "enabled", "yes", "document-root", TEMP.toString()))),
				400, "enabled: 'yes' (expected: true or false)");
		assertRefused(
				send("POST", "/api/sites", ADMIN,
						toJson(Map.of("name", "bad-location", "document-root", TEMP.toString(), "locations",
								List.of(Map.of("path", "no-slash"))))),
				400, "site bad-location: locations[0].path: 'no-slash' (expected: starts with /)");
		assertRefused(send("POST", "/api/sites", ADMIN, "[1, 2]"), 400, "body: ");
		assertRefused(send("POST", "/api/sites", ADMIN, "{\"name\": "), 400, "body: ");
		assertThat(this.config.appliedVersion()).isEqualTo(before);
		assertThat(get("/api/sites/broken", ADMIN).statusCode()).isEqualTo(404);
	}

	@Test
	void aTakenNameIsAConflict() throws Exception {
		assertRefused(
				send("POST", "/api/sites", ADMIN,
						toJson(Map.of("name", "default", "document-root", TEMP.resolve("default-root").toString()))),
				409, "name: a site named 'default' exists already");
	}

	@Test
	void aSiteIsReplacedWithItsLocationsAndADryRunChangesNothing() throws Exception {
		Path one = documentRoot("blog-one", "blog one");
		Path two = documentRoot("blog-two", "blog two");
		assertThat(send("POST", "/api/sites", ADMIN,
				toJson(Map.of("name", "blog", "server-names", List.of("blog.test"), "document-root", one.toString(),
						"locations", List.of(Map.of("path", "/a/"), Map.of("match", "\\.php$")))))
			.statusCode()).isEqualTo(201);
		Map<String, Object> replacement = Map.of("server-names", List.of("blog.test"), "document-root", two.toString(),
				"locations", List.of(Map.of("path", "/b/")));
		long before = this.config.appliedVersion();
		HttpResponse<String> shown = send("PUT", "/api/sites/blog?dry-run=true", ADMIN, toJson(replacement));
		assertThat(shown.statusCode()).isEqualTo(200);
		assertThat(object(shown)).containsEntry("applied", false).containsEntry("dry-run", true);
		assertThat((List<Map<String, Object>>) object(shown).get("changes")).singleElement().satisfies((change) -> {
			assertThat(change).containsEntry("change", "changed");
			assertThat((Map<String, Object>) change.get("before")).containsEntry("document-root", one.toString());
			assertThat((Map<String, Object>) change.get("after")).containsEntry("document-root", two.toString());
		});
		assertThat(this.config.appliedVersion()).isEqualTo(before);
		assertThat(dataPlane("blog.test", "/")).containsExactly("200", "blog one");
		HttpResponse<String> replaced = send("PUT", "/api/sites/blog", ADMIN, toJson(replacement));
		assertThat(replaced.statusCode()).isEqualTo(200);
		assertThat(object(replaced)).containsEntry("applied", true);
		assertThat(dataPlane("blog.test", "/")).containsExactly("200", "blog two");
		Map<String, Object> stored = object(get("/api/sites/blog", ADMIN));
		assertThat(stored.get("locations")).isEqualTo(List.of(Map.of("path", "/b/")));
		assertThat(stored).containsEntry("enabled", true);
		assertRefused(
				send("PUT", "/api/sites/blog", ADMIN, toJson(Map.of("name", "other", "document-root", two.toString()))),
				400, "name: 'other' (expected: 'blog'");
	}

	@Test
	void aSiteIsDisabledEnabledAndDeleted() throws Exception {
		Path root = documentRoot("wiki-root", "wiki");
		assertThat(send("POST", "/api/sites", ADMIN,
				toJson(Map.of("name", "wiki", "server-names", List.of("wiki.test"), "document-root", root.toString())))
			.statusCode()).isEqualTo(201);
		assertThat(dataPlane("wiki.test", "/")).containsExactly("200", "wiki");
		HttpResponse<String> disabled = send("POST", "/api/sites/wiki/disable", ADMIN, null);
		assertThat(disabled.statusCode()).isEqualTo(200);
		assertThat(object(get("/api/sites/wiki", ADMIN))).containsEntry("enabled", false);
		assertThat(dataPlane("wiki.test", "/")[1]).isNotEqualTo("wiki");
		assertThat(send("POST", "/api/sites/wiki/enable", ADMIN, null).statusCode()).isEqualTo(200);
		assertThat(dataPlane("wiki.test", "/")).containsExactly("200", "wiki");
		HttpResponse<String> again = send("POST", "/api/sites/wiki/enable", ADMIN, null);
		assertThat(object(again)).containsEntry("applied", false).containsEntry("changes", List.of());
		HttpResponse<String> deleted = send("DELETE", "/api/sites/wiki", ADMIN, null);
		assertThat(deleted.statusCode()).isEqualTo(200);
		assertThat((List<Map<String, Object>>) object(deleted).get("changes")).singleElement()
			.satisfies((change) -> assertThat(change).containsEntry("change", "removed").doesNotContainKey("after"));
		assertThat(get("/api/sites/wiki", ADMIN).statusCode()).isEqualTo(404);
		assertThat(dataPlane("wiki.test", "/")[1]).isNotEqualTo("wiki");
	}

	@Test
	void aPutThatRemovesItemsNamesThemInItsAnswer() throws Exception {
		Path root = documentRoot("named-root", "named");
		Map<String, Object> site = new LinkedHashMap<>();
		site.put("name", "named");
		site.put("document-root", root.toString());
		site.put("mandril", Map.of("uri", Map.of("deny", List.of("/secret/"))));
		site.put("locations", List.of(Map.of("path", "/admin/"), Map.of("path", "/keep/")));
		assertThat(send("POST", "/api/sites", ADMIN, toJson(site)).statusCode()).isEqualTo(201);
		Map<String, Object> replacement = Map.of("document-root", root.toString(), "locations",
				List.of(Map.of("path", "/keep/")));
		Map<String, Object> shown = object(send("PUT", "/api/sites/named?dry-run=true", ADMIN, toJson(replacement)));
		assertThat(shown).containsEntry("removed",
				List.of("access rule uri-deny /secret/ on named", "location /admin/ on named"));
		Map<String, Object> replaced = object(send("PUT", "/api/sites/named", ADMIN, toJson(replacement)));
		assertThat(replaced).containsEntry("applied", true)
			.containsEntry("removed", List.of("access rule uri-deny /secret/ on named", "location /admin/ on named"));
		Map<String, Object> again = object(send("PUT", "/api/sites/named", ADMIN, toJson(replacement)));
		assertThat(again).containsEntry("removed", List.of());
	}

}
