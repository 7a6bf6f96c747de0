package dev.capuchin.app.realms;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import dev.capuchin.app.TestApplication;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /api/realms} and the realms of {@code /api/config}, over real HTTP with the
 * admin account's Basic credentials, with the data plane checked after each change.
 */
@TestPropertySource(properties = "capuchin.test.database=realm-api-tests")
class RealmsApiTests extends RealmTestSupport {

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void realmsAndUsersAreManagedAsJsonAndApplyToTheDataPlaneAtOnce() throws Exception {
		site("api-site", "api.test", List.of());
		HttpResponse<String> created = api("POST", "/api/realms", "{\"name\": \"Api\", \"description\": \"by api\"}");
		assertThat(created.statusCode()).isEqualTo(201);
		assertThat(created.headers().firstValue("location")).hasValue("/api/realms/Api");
		assertThat(created.body()).contains("\"name\":\"Api\"", "\"description\":\"by api\"", "\"users\":[]");
		assertThat(api("POST", "/api/realms/Api/users", "{\"name\": \"dora\", \"password\": \"dora-pass-1\"}")
			.statusCode()).isEqualTo(201);
		site("api-protected", "api-protected.test", List.of(Map.of("path", "/staff/", "auth", Map.of("realm", "Api"))));
		assertThat(dataPlane("api-protected.test", "/staff/", "dora:dora-pass-1").statusCode()).isEqualTo(200);

		HttpResponse<String> one = api("GET", "/api/realms/Api", null);
		assertThat(one.statusCode()).isEqualTo(200);
		assertThat(one.headers().firstValue("content-type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/json"));
		assertThat(one.body()).contains("\"name\":\"dora\"", "\"site\":\"api-protected\"", "\"match\":\"path /staff/\"")
			.doesNotContain("$2", "password");
		assertThat(api("GET", "/api/realms", null).body()).contains("\"name\":\"Api\"").doesNotContain("$2");
		assertThat(api("GET", "/api/realms/Api/users", null).body()).startsWith("[{\"name\":\"dora\"");

		assertThat(api("PUT", "/api/realms/Api/users/dora", "{\"password\": \"dora-pass-2\"}").statusCode())
			.isEqualTo(200);
		assertThat(dataPlane("api-protected.test", "/staff/", "dora:dora-pass-1").statusCode()).isEqualTo(401);
		assertThat(dataPlane("api-protected.test", "/staff/", "dora:dora-pass-2").statusCode()).isEqualTo(200);

		HttpResponse<String> inUse = api("DELETE", "/api/realms/Api", null);
		assertThat(inUse.statusCode()).isEqualTo(409);
		assertThat(inUse.body()).isEqualTo("{\"error\":\"realm Api: in use by site api-protected locations[0] "
				+ "(path /staff/) (remove the realm from those locations first)\"}");

		assertThat(api("DELETE", "/api/realms/Api/users/dora", null).statusCode()).isEqualTo(204);
		assertThat(dataPlane("api-protected.test", "/staff/", "dora:dora-pass-2").statusCode()).isEqualTo(401);
		assertThat(api("PUT", "/api/realms/Api", "{\"description\": \"changed\"}").body())
			.contains("\"description\":\"changed\"");
	}

	@Test
	void refusalsAreJsonErrorsNamingTheField() throws Exception {
		api("POST", "/api/realms", "{\"name\": \"Errors\"}");
		assertError(api("POST", "/api/realms", "{\"name\": \"bad name\"}"), 400,
				"name: 'bad name' (expected: 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit)");
		assertError(api("POST", "/api/realms", "{\"description\": \"x\"}"), 400,
				"name: missing (expected: a realm name)");
		assertError(api("POST", "/api/realms", "{\"name\": \"Errors\"}"), 409,
				"name: a realm named 'Errors' exists already");
		assertError(api("POST", "/api/realms", "not json"), 400, "body: expected a JSON object");
		assertError(api("GET", "/api/realms/Nowhere", null), 404, "no realm 'Nowhere'");
		assertError(api("POST", "/api/realms/Nowhere/users", "{\"name\": \"x\", \"password\": \"long-enough\"}"), 404,
				"no realm 'Nowhere'");
		assertError(api("POST", "/api/realms/Errors/users", "{\"name\": \"erin\", \"password\": \"short\"}"), 400,
				"password: too short (expected: at least 8 characters)");
		assertError(api("PUT", "/api/realms/Errors/users/nobody", "{\"password\": \"long-enough\"}"), 404,
				"realm Errors: no user 'nobody'");
		assertError(api("DELETE", "/api/realms/Errors/users/nobody", null), 404, "realm Errors: no user 'nobody'");
	}

	@Test
	void aUsersEmailDisplayNameAndGroupsAreSetChangedAndClearedAsJson() throws Exception {
		api("POST", "/api/realms", "{\"name\": \"Profiles\"}");
		HttpResponse<String> added = api("POST", "/api/realms/Profiles/users", """
				{"name": "gail", "password": "gail-password", "email": "gail@example.com",
				 "display-name": "Gail Force", "groups": ["staff", "admins"]}""");
		assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
		assertThat(added.body()).contains("\"email\":\"gail@example.com\"", "\"display-name\":\"Gail Force\"",
				"\"groups\":[\"admins\",\"staff\"]");
		HttpResponse<String> changed = api("PUT", "/api/realms/Profiles/users/gail",
				"{\"display-name\": \"Gail\", \"groups\": []}");
		assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
		assertThat(changed.body()).contains("\"email\":\"gail@example.com\"", "\"display-name\":\"Gail\"",
				"\"groups\":[]");
		RealmUser stored = this.config.current().realm("Profiles").orElseThrow().user("gail").orElseThrow();
		assertThat(stored.displayName()).isEqualTo("Gail");
		assertThat(stored.groups()).isEmpty();
		assertThat(api("GET", "/api/config", null).body()).contains("email: gail@example.com", "display-name: Gail");
		assertError(api("PUT", "/api/realms/Profiles/users/gail", "{\"email\": \"gail at example\"}"), 400,
				"email: 'gail at example' (expected: an address like name@example.com, up to 254 characters)");
		assertError(api("PUT", "/api/realms/Profiles/users/gail", "{\"groups\": [\"a,b\"]}"), 400,
				"groups: 'a,b' (expected: 1 to 64 letters, digits, '.', '_', '@', '+', '/', ':' or '-', "
						+ "starting with a letter or digit)");
	}

	@Test
	void theApiNeedsTheAdminAccount() throws Exception {
		HttpResponse<String> anonymous = this.http.send(
				HttpRequest.newBuilder(URI.create(control("/api/realms"))).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(anonymous.statusCode()).isEqualTo(401);
	}

	@Test
	void theConfigurationDocumentCarriesRealmsWithHashesAndAnImportReplacesThem() throws Exception {
		api("POST", "/api/realms", "{\"name\": \"Exported\"}");
		api("POST", "/api/realms/Exported/users", "{\"name\": \"eve\", \"password\": \"eve-password\"}");
		String exported = api("GET", "/api/config", null).body();
		assertThat(exported).contains("realms:", "- name: Exported", "password-hash: $2y$10$");

		String renamed = exported.replace("- name: Exported", "- name: Imported");
		HttpResponse<String> dryRun = api("PUT", "/api/config?dry-run=true", renamed, "application/yaml");
		assertThat(dryRun.statusCode()).isEqualTo(200);
		assertThat(dryRun.body()).contains("realm: Imported", "change: added", "realm: Exported", "change: removed",
				"applied: false");
		assertThat(dryRun.body()).doesNotContain("$2y$");
		assertThat(this.config.current().realm("Exported")).isPresent();

		assertThat(api("PUT", "/api/config", renamed, "application/yaml").statusCode()).isEqualTo(200);
		assertThat(this.config.current().realm("Imported").orElseThrow().users()).extracting((user) -> user.name())
			.containsExactly("eve");
		assertThat(this.config.current().realm("Exported")).isEmpty();

		String withoutRealms = renamed.substring(0, renamed.indexOf("realms:"));
		HttpResponse<String> unchanged = api("PUT", "/api/config?dry-run=true", withoutRealms, "application/yaml");
		assertThat(unchanged.body()).doesNotContain("realm: Imported");
	}

	@Test
	void anImportNamingAMissingRealmIsRefusedAndNothingChanges() throws Exception {
		String exported = api("GET", "/api/config", null).body();
		String document = exported.replaceFirst("  document-root:",
				"  locations:\n  - path: /x/\n    auth: {realm: Ghost}\n  document-root:");
		long version = this.config.current().version();
		HttpResponse<String> refused = api("PUT", "/api/config", document, "application/yaml");
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(refused.body())
			.contains("site default: locations[0].auth.realm: no realm ''Ghost'' (create it under Realms, "
					+ "or give a users-file)");
		assertThat(this.config.current().version()).isEqualTo(version);
	}

	private static void assertError(HttpResponse<String> response, int status, String message) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("content-type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/json"));
		assertThat(response.body()).isEqualTo("{\"error\":\"" + message + "\"}");
	}

	private HttpResponse<String> api(String method, String path, String body) throws Exception {
		return api(method, path, body, "application/json");
	}

	private HttpResponse<String> api(String method, String path, String body, String type) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(control(path)))
			.header("Authorization", TestApplication.basic("admin:" + PASSWORD))
			.header("Content-Type", type);
		request.method(method,
				(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
