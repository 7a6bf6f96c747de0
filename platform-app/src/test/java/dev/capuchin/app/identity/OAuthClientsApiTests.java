package dev.capuchin.app.identity;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import dev.capuchin.app.audit.AuditLog;
import dev.capuchin.app.shared.api.ApiTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /api/oauth-clients} and {@code /api/signing-keys} over real HTTP, with the token
 * endpoint checking what they made.
 */
class OAuthClientsApiTests extends ApiTestSupport {

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	AuditLog audit;

	private final HttpClient http = HttpClient.newHttpClient();

	@BeforeEach
	void staffRealm() throws Exception {
		if (get("/api/realms/Staff", ADMIN).statusCode() == 404) {
			assertThat(send("POST", "/api/realms", ADMIN, toJson(Map.of("name", "Staff", "description", "staff")))
				.statusCode()).isEqualTo(201);
		}
	}

	@Test
	void aConfidentialClientIsCreatedWithItsSecretShownOnlyThere() throws Exception {
		HttpResponse<String> created = create(
				Map.of("client-id", "svc", "name", "Service", "type", "confidential", "realm", "Staff", "grant-types",
						List.of("client_credentials"), "scopes", List.of("read"), "redirect-uris", List.of()));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		assertThat(created.headers().firstValue("location")).contains("/api/oauth-clients/svc");
		Map<String, Object> client = object(created);
		String secret = (String) client.get("client-secret");
		assertThat(secret).hasSizeGreaterThanOrEqualTo(43);
		assertThat(client).containsEntry("type", "confidential")
			.containsEntry("realm", "Staff")
			.containsEntry("token-format", "jwt")
			.containsEntry("grant-types", List.of("client_credentials"));
		assertThat(token("svc", secret, "grant_type=client_credentials&scope=read").statusCode()).isEqualTo(200);
		assertThat(get("/api/oauth-clients/svc", ADMIN).body()).doesNotContain(secret).doesNotContain("client-secret");
		assertThat(get("/api/oauth-clients", ADMIN).body()).doesNotContain(secret).contains("\"client-id\":\"svc\"");
		String stored = this.jdbc.queryForObject(
				"select client_secret from oauth2_registered_client where client_id = ?", String.class, "svc");
		assertThat(stored).startsWith("{bcrypt}").doesNotContain(secret);
		assertThat(this.audit.recent(50)).anySatisfy((entry) -> {
			assertThat(entry.action()).isEqualTo("added");
			assertThat(entry.target()).isEqualTo("oauth-client svc");
			assertThat(entry.after()).contains("realm: Staff").doesNotContain(secret);
		});
	}

	@Test
	void lifetimesAreAnsweredInTheUnitsTheyAreWrittenIn() throws Exception {
		HttpResponse<String> created = create(Map.of("client-id", "lifetimes", "type", "confidential", "realm", "Staff",
				"grant-types", List.of("client_credentials"), "scopes", List.of("read"), "redirect-uris", List.of(),
				"access-token-lifetime", "10m", "refresh-token-lifetime", "36h"));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		assertThat(object(get("/api/oauth-clients/lifetimes", ADMIN))).containsEntry("access-token-lifetime", "10m")
			.containsEntry("refresh-token-lifetime", "36h");
	}

	@Test
	void aTakenClientIdIs409() throws Exception {
		Map<String, Object> body = Map.of("client-id", "twice", "type", "confidential", "realm", "Staff", "grant-types",
				List.of("client_credentials"));
		assertThat(create(body).statusCode()).isEqualTo(201);
		assertRefused(create(body), 409, "client-id: a client 'twice' exists already");
	}

	@Test
	void theImplicitAndPasswordGrantsAreRefused() throws Exception {
		for (String grant : List.of("implicit", "password")) {
			assertRefused(create(Map.of("client-id", "old-" + grant, "type", "confidential", "realm", "Staff",
					"grant-types", List.of(grant))), 400, "grant-types: '" + grant + "'");
		}
	}

	@Test
	void aPublicClientCannotUseClientCredentials() throws Exception {
		assertRefused(
				create(Map.of("client-id", "spa-cc", "type", "public", "realm", "Staff", "grant-types",
						List.of("client_credentials"))),
				400, "grant-types: 'client_credentials' needs a client that authenticates");
	}

	@Test
	void anUnknownRealmIsRefused() throws Exception {
		assertRefused(create(Map.of("client-id", "lost", "type", "confidential", "realm", "Nowhere", "grant-types",
				List.of("client_credentials"))), 400, "realm: no realm 'Nowhere'");
	}

	@Test
	void authorizationCodeNeedsARedirectUri() throws Exception {
		assertRefused(create(Map.of("client-id", "web-no-redirect", "type", "public", "realm", "Staff", "grant-types",
				List.of("authorization_code"))), 400, "redirect-uris: empty");
	}

	@Test
	void aPublicClientHasNoSecretAndRequiresPkce() throws Exception {
		HttpResponse<String> created = create(Map.of("client-id", "spa", "type", "public", "realm", "Staff",
				"grant-types", List.of("authorization_code", "refresh_token"), "scopes", List.of("openid", "profile"),
				"redirect-uris", List.of("http://127.0.0.1:9999/callback")));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		assertThat(object(created)).doesNotContainKey("client-secret");
		String settings = this.jdbc.queryForObject(
				"select client_settings from oauth2_registered_client where client_id = ?", String.class, "spa");
		assertThat(settings).contains("\"settings.client.require-proof-key\":true");
	}

	@Test
	void aRotatedSecretKeepsThePreviousOneValidForTheGracePeriod() throws Exception {
		String old = (String) object(create(Map.of("client-id", "rotating", "type", "confidential", "realm", "Staff",
				"grant-types", List.of("client_credentials"))))
			.get("client-secret");
		HttpResponse<String> rotated = send("POST", "/api/oauth-clients/rotating/secret", ADMIN,
				toJson(Map.of("grace", "1h")));
		assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
		String fresh = (String) object(rotated).get("client-secret");
		assertThat(fresh).isNotEqualTo(old);
		assertThat(object(rotated)).containsKey("previous-secret-expires-at");
		assertThat(token("rotating", fresh, "grant_type=client_credentials").statusCode()).isEqualTo(200);
		assertThat(token("rotating", old, "grant_type=client_credentials").statusCode()).isEqualTo(200);
		send("POST", "/api/oauth-clients/rotating/secret", ADMIN, null);
		assertThat(token("rotating", fresh, "grant_type=client_credentials").statusCode()).isEqualTo(401);
	}

	@Test
	void aDisabledClientGetsNoToken() throws Exception {
		String secret = (String) object(create(Map.of("client-id", "paused", "type", "confidential", "realm", "Staff",
				"grant-types", List.of("client_credentials"))))
			.get("client-secret");
		HttpResponse<String> disabled = send("PUT", "/api/oauth-clients/paused", ADMIN,
				toJson(Map.of("enabled", false)));
		assertThat(object(disabled)).containsEntry("enabled", false);
		assertThat(token("paused", secret, "grant_type=client_credentials").statusCode()).isEqualTo(401);
		send("PUT", "/api/oauth-clients/paused", ADMIN, toJson(Map.of("enabled", true)));
		assertThat(token("paused", secret, "grant_type=client_credentials").statusCode()).isEqualTo(200);
	}

	@Test
	void deletingAClientRevokesItsOpaqueTokens() throws Exception {
		String secret = (String) object(create(Map.of("client-id", "doomed", "type", "confidential", "realm", "Staff",
				"grant-types", List.of("client_credentials"), "token-format", "opaque")))
			.get("client-secret");
		String auditor = (String) object(create(Map.of("client-id", "auditor", "type", "confidential", "realm", "Staff",
				"grant-types", List.of("client_credentials"))))
			.get("client-secret");
		String accessToken = (String) object(token("doomed", secret, "grant_type=client_credentials"))
			.get("access_token");
		assertThat(accessToken).doesNotContain(".");
		assertThat(introspect("auditor", auditor, accessToken)).containsEntry("active", true)
			.containsEntry("client_id", "doomed");
		assertThat(array(get("/api/oauth-clients/doomed/grants", ADMIN))).hasSize(1);
		assertThat(send("DELETE", "/api/oauth-clients/doomed", ADMIN, null).statusCode()).isEqualTo(204);
		assertThat(introspect("auditor", auditor, accessToken)).containsEntry("active", false);
		assertThat(get("/api/oauth-clients/doomed", ADMIN).statusCode()).isEqualTo(404);
		assertThat(this.audit.recent(50)).anySatisfy((entry) -> {
			assertThat(entry.action()).isEqualTo("revoked");
			assertThat(entry.target()).isEqualTo("oauth-client doomed");
		});
	}

	@Test
	void aViewerCannotCreateAClient() throws Exception {
		account("client-viewer", dev.capuchin.app.users.ConsoleUser.Role.VIEWER, "viewer-password-1");
		HttpResponse<String> refused = send("POST", "/api/oauth-clients",
				dev.capuchin.app.TestApplication.basic("client-viewer:viewer-password-1"),
				toJson(Map.of("client-id", "nope", "type", "public", "realm", "Staff")));
		assertThat(refused.statusCode()).isEqualTo(403);
	}

	@Test
	void signingKeysAreListedAndRotatedThroughTheApi() throws Exception {
		HttpResponse<String> rotated = send("POST", "/api/signing-keys/rotate", ADMIN, null);
		assertThat(rotated.statusCode()).isEqualTo(201);
		Map<String, Object> key = object(rotated);
		assertThat(key).containsEntry("state", "active").containsEntry("algorithm", "RS256");
		List<Map<String, Object>> keys = array(get("/api/signing-keys", ADMIN));
		assertThat(keys.get(0)).containsEntry("kid", key.get("kid"));
		assertThat(keys).anySatisfy((other) -> assertThat(other).containsEntry("state", "retiring"));
		assertThat(get("/api/signing-keys", ADMIN).body()).doesNotContain("\"d\"", "encrypted");
		assertThat(get("/oauth2/jwks", null).body()).contains((String) key.get("kid"));
	}

	private HttpResponse<String> create(Map<String, Object> body) throws Exception {
		return send("POST", "/api/oauth-clients", ADMIN, toJson(body));
	}

	private Map<String, Object> introspect(String clientId, String secret, String token) throws Exception {
		HttpResponse<String> response = post("/oauth2/introspect", clientId, secret, "token=" + token);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return object(response);
	}

	private HttpResponse<String> token(String clientId, String secret, String form) throws Exception {
		return post("/oauth2/token", clientId, secret, form);
	}

	private HttpResponse<String> post(String path, String clientId, String secret, String form) throws Exception {
		String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
		return this.http.send(HttpRequest.newBuilder(URI.create(control(path)))
			.header("Authorization", "Basic " + basic)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
