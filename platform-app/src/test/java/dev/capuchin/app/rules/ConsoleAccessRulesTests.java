package dev.capuchin.app.rules;

import dev.capuchin.app.shared.console.PluginsConsoleTestSupport;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import dev.capuchin.app.users.ConsoleUser;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

class ConsoleAccessRulesTests extends PluginsConsoleTestSupport {

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void anAddedAddressRuleRefusesTheClientAtOnceAndItsRemovalLetsItIn() throws Exception {
		site("guarded", Map.of());
		assertThat(dataPlane("guarded.test", "/").statusCode()).isEqualTo(200);
		HttpClient browser = admin();
		HttpResponse<String> added = addRule(browser, "guarded", "", "ip-deny", "127.0.0.1");
		assertThat(added.statusCode()).isEqualTo(302);
		assertThat(dataPlane("guarded.test", "/").statusCode()).isEqualTo(403);
		assertThat(dataPlane("localhost", "/").statusCode()).isEqualTo(200);
		assertThat(this.jdbc.queryForList("select r.kind, r.rule_value, r.location_id from access_rule r "
				+ "join site s on s.id = r.site_id where s.name = 'guarded'"))
			.extracting((row) -> row.get("KIND") + " " + row.get("RULE_VALUE") + " " + row.get("LOCATION_ID"))
			.containsExactly("ip-deny 127.0.0.1 null");
		String page = httpGet(browser, "/console/rules").body();
		assertThat(page).contains("id=\"rules-guarded\"")
			.contains("The client 127.0.0.1 is refused (403) on the whole site.");
		String confirm = httpGet(browser, "/console/rules/delete?site=guarded&location=&kind=ip-deny&value=127.0.0.1")
			.body();
		assertThat(confirm).contains("Delete rule");
		HttpResponse<String> deleted = httpPost(browser, "/console/rules/delete",
				"site=guarded&location=&kind=ip-deny&value=127.0.0.1&_csrf=" + csrfToken(confirm));
		assertThat(deleted.statusCode()).isEqualTo(302);
		assertThat(dataPlane("guarded.test", "/").statusCode()).isEqualTo(200);
		assertThat(this.jdbc.queryForObject(
				"select count(*) from access_rule r join site s on s.id = r.site_id where s.name = 'guarded'",
				Integer.class))
			.isZero();
	}

	@Test
	void theFormOffersTheChosenSitesLocationsOnlyAndAddingKeepsTheSite() throws Exception {
		site("scoped", Map.of("locations", List.of(Map.of("path", "/scoped-admin/"))));
		site("other-scope", Map.of("locations", List.of(Map.of("path", "/other-admin/"))));
		HttpClient browser = admin();
		String page = httpGet(browser, "/console/rules?site=scoped").body();
		assertThat(page).contains("<option value=\"/scoped-admin/\"").doesNotContain("<option value=\"/other-admin/\"");
		HttpResponse<String> added = addRule(browser, "scoped", "/scoped-admin/", "uri-deny", "/x");
		assertThat(added.statusCode()).isEqualTo(302);
		assertThat(added.headers().firstValue("location").orElseThrow()).endsWith("/console/rules?site=scoped");
		assertThat(httpGet(browser, "/console/rules?site=scoped").body())
			.contains("id=\"chosen-site\">scoped</strong>");
	}

	@Test
	void anEmptyValueIsAnsweredRequiredAndMarkedInvalid() throws Exception {
		site("unfilled", Map.of());
		HttpClient browser = admin();
		HttpResponse<String> answer = addRule(browser, "unfilled", "", "ip-deny", "");
		assertThat(answer.statusCode()).isEqualTo(200);
		assertThat(answer.body()).contains("id=\"value-error\">Required</div>")
			.containsPattern("id=\"value\"[^>]*aria-invalid=\"true\"");
		assertThat(this.config.current().entries().stream().filter((entry) -> entry.name().equals("unfilled")))
			.singleElement()
			.satisfies((entry) -> assertThat(entry.site().settings()).doesNotContainKey("mandril"));
	}

	@Test
	@SuppressWarnings("unchecked")
	void theExportKeepsRulesInTheirMandrilBlocks() throws Exception {
		site("exported", Map.of("locations", List.of(Map.of("path", "/admin/"))));
		HttpClient browser = admin();
		addRule(browser, "exported", "", "ip-allow", "10.0.0.0/8");
		addRule(browser, "exported", "/admin/", "uri-deny", "regex:\\.bak$");
		HttpResponse<String> export = api("GET", "/api/config", null);
		Map<String, Object> document = new Yaml().load(export.body());
		Map<String, Object> site = ((List<Map<String, Object>>) document.get("sites")).stream()
			.filter((candidate) -> "exported".equals(candidate.get("name")))
			.findFirst()
			.orElseThrow();
		assertThat(site.get("mandril")).isEqualTo(Map.of("ip", Map.of("allow", List.of("10.0.0.0/8"))));
		assertThat(((List<Map<String, Object>>) site.get("locations")).get(0))
			.isEqualTo(Map.of("path", "/admin/", "mandril", Map.of("uri", Map.of("deny", List.of("regex:\\.bak$")))));
	}

	@Test
	void aPathRuleOfALocationRefusesMatchingPathsOnly() throws Exception {
		site("paths", Map.of("locations", List.of(Map.of("path", "/admin/"))));
		write(TEMP.resolve("paths-root/admin/secret.txt"), "secret");
		write(TEMP.resolve("paths-root/admin/open.txt"), "open");
		write(TEMP.resolve("paths-root/secret.txt"), "outside");
		assertThat(dataPlane("paths.test", "/admin/secret.txt").statusCode()).isEqualTo(200);
		addRule(admin(), "paths", "/admin/", "uri-deny", "secret");
		assertThat(dataPlane("paths.test", "/admin/secret.txt").statusCode()).isEqualTo(403);
		assertThat(dataPlane("paths.test", "/admin/s%65cret.txt").statusCode()).isEqualTo(403);
		assertThat(dataPlane("paths.test", "/admin/open.txt").body()).isEqualTo("open");
		assertThat(dataPlane("paths.test", "/secret.txt").body()).isEqualTo("outside");
	}

	@Test
	void anInvalidValueIsRefusedBesideItsFieldAndTheRunningRulesStay() throws Exception {
		site("kept", Map.of());
		write(TEMP.resolve("kept-root/private/a.txt"), "a");
		HttpClient browser = admin();
		addRule(browser, "kept", "", "uri-deny", "/private/");
		long version = this.config.current().version();
		HttpResponse<String> refused = addRule(browser, "kept", "", "ip-deny", "10.0.0.300");
		assertThat(refused.statusCode()).isEqualTo(200);
		assertThat(refused.body()).contains("id=\"value-error\"")
			.contains("&#39;10.0.0.300&#39; is not an IP address or CIDR block")
			.contains("value=\"10.0.0.300\"");
		HttpResponse<String> badRegex = addRule(browser, "kept", "", "uri-deny", "regex:[");
		assertThat(badRegex.body()).contains("is not a valid regular expression").contains("value=\"regex:[\"");
		assertThat(this.config.current().version()).isEqualTo(version);
		assertThat(dataPlane("kept.test", "/private/a.txt").statusCode()).isEqualTo(403);
		HttpResponse<String> duplicate = addRule(browser, "kept", "", "uri-deny", "/private/");
		assertThat(duplicate.body()).contains("is already among the uri-deny rules of site kept");
		HttpResponse<String> noLocation = addRule(browser, "kept", "/nowhere/", "uri-deny", "/x");
		assertThat(noLocation.body()).contains("id=\"location-error\"").contains("has no location");
	}

	@Test
	void theApplicationRunsTheMigrationThatMovesOlderRules() {
		assertThat(this.jdbc.queryForObject(
				"select count(*) from \"flyway_schema_history\" where \"version\" = '5.1' and \"success\" = true",
				Integer.class))
			.isEqualTo(1);
	}

	@Test
	void viewersSeeTheRulesButCannotChangeThem() throws Exception {
		account("rules-viewer", ConsoleUser.Role.VIEWER, "viewer-password");
		HttpClient viewer = browser();
		signIn(viewer, "rules-viewer", "viewer-password");
		String page = httpGet(viewer, "/console/rules").body();
		assertThat(page).contains("Global rules")
			.contains("capuchin.plugins.mandril.ip.deny")
			.doesNotContain("id=\"rule-form\"")
			.doesNotContain("id=\"not-enforced\"");
		HttpResponse<String> post = httpPost(viewer, "/console/rules",
				"site=default&location=&kind=ip-deny&value=10.9.9.9&_csrf=" + csrfToken(page));
		assertThat(post.statusCode()).isEqualTo(403);
		assertThat(this.config.current().entries().get(0).site().setting("mandril")).isNull();
	}

	@Test
	void theApiAddsListsAndRemovesRules() throws Exception {
		site("scripted", Map.of());
		String rule = "{\"site\": \"scripted\", \"location\": null, \"kind\": \"ip-deny\", \"value\": \"127.0.0.0/8\"}";
		long version = this.config.current().version();
		HttpResponse<String> dryRun = api("POST", "/api/access-rules?dry-run=true", rule);
		assertThat(dryRun.statusCode()).isEqualTo(200);
		assertThat(dryRun.body()).contains("\"applied\":false");
		assertThat(this.config.current().version()).isEqualTo(version);
		assertThat(dataPlane("scripted.test", "/").statusCode()).isEqualTo(200);
		HttpResponse<String> created = api("POST", "/api/access-rules", rule);
		assertThat(created.statusCode()).isEqualTo(201);
		assertThat(created.body()).contains("\"applied\":true").contains("\"version\":" + (version + 1));
		assertThat(dataPlane("scripted.test", "/").statusCode()).isEqualTo(403);
		HttpResponse<String> listed = api("GET", "/api/access-rules", null);
		assertThat(listed.statusCode()).isEqualTo(200);
		assertThat(listed.body()).contains("\"enforced\":true")
			.contains("{\"site\":\"scripted\",\"location\":null,\"kind\":\"ip-deny\",\"value\":\"127.0.0.0/8\"");
		assertThat(api("POST", "/api/access-rules", rule).statusCode()).isEqualTo(409);
		HttpResponse<String> removed = api("DELETE", "/api/access-rules", rule);
		assertThat(removed.statusCode()).isEqualTo(200);
		assertThat(dataPlane("scripted.test", "/").statusCode()).isEqualTo(200);
		HttpResponse<String> again = api("DELETE", "/api/access-rules", rule);
		assertThat(again.statusCode()).isEqualTo(404);
		assertThat(again.body())
			.contains("\"error\":\"value: '127.0.0.0/8' is not among the ip-deny rules of site scripted\"");
	}

	@Test
	void theApiRefusesBadRulesWithTheFieldAtFault() throws Exception {
		HttpResponse<String> address = api("POST", "/api/access-rules",
				"{\"site\": \"default\", \"kind\": \"ip-deny\", \"value\": \"10.0.0.300\"}");
		assertThat(address.statusCode()).isEqualTo(400);
		assertThat(address.body()).isEqualTo("{\"error\":\"value: '10.0.0.300' is not an IP address or CIDR block\"}");
		HttpResponse<String> kind = api("POST", "/api/access-rules",
				"{\"site\": \"default\", \"kind\": \"ip-block\", \"value\": \"10.0.0.1\"}");
		assertThat(kind.statusCode()).isEqualTo(400);
		assertThat(kind.body()).contains("kind: 'ip-block' is not a kind of rule");
		HttpResponse<String> site = api("POST", "/api/access-rules",
				"{\"site\": \"nowhere\", \"kind\": \"ip-deny\", \"value\": \"10.0.0.1\"}");
		assertThat(site.statusCode()).isEqualTo(404);
		assertThat(site.body()).contains("site: 'nowhere' does not exist");
		HttpResponse<String> json = api("POST", "/api/access-rules", "{not json");
		assertThat(json.statusCode()).isEqualTo(400);
		assertThat(json.body()).contains("body: expected a JSON object");
		assertThat(api("POST", "/api/access-rules", "{\"site\": \"default\", \"kind\": \"uri-deny\"}").body())
			.contains("value: missing");
	}

	private HttpResponse<String> addRule(HttpClient browser, String site, String location, String kind, String value)
			throws Exception {
		String token = csrfToken(httpGet(browser, "/console/rules").body());
		return httpPost(browser, "/console/rules", "site=" + encode(site) + "&location=" + encode(location) + "&kind="
				+ encode(kind) + "&value=" + encode(value) + "&_csrf=" + token);
	}

	private static String encode(String text) {
		return URLEncoder.encode(text, StandardCharsets.UTF_8);
	}

}
