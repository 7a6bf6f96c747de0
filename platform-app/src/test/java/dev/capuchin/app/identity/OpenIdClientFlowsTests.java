package dev.capuchin.app.identity;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import dev.capuchin.app.shared.api.ApiTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flows driven by {@code openid-client} through Node against the control listener, with
 * clients made through {@code /api/oauth-clients}.
 */
class OpenIdClientFlowsTests extends ApiTestSupport {

	private static final String REDIRECT_URI = "http://127.0.0.1:9/callback";

	private static final String LOGOUT_URI = "http://127.0.0.1:9/signed-out";

	@BeforeEach
	void realm() throws Exception {
		if (get("/api/realms/Flows", ADMIN).statusCode() == 404) {
			send("POST", "/api/realms", ADMIN, toJson(Map.of("name", "Flows", "description", "flows")));
		}
	}

	@Test
	@SuppressWarnings("unchecked")
	void clientCredentialsIntrospectionAndRevocationThroughDiscovery() throws Exception {
		String secret = client("node-svc");
		Map<String, Object> seen = OpenIdClient.run("client-credentials", environment("node-svc", secret));
		assertThat(seen).containsEntry("issuer", control(""))
			.containsEntry("sub", "node-svc")
			.containsEntry("scope", "read");
		assertThat((List<Object>) seen.get("grantTypes"))
			.contains("client_credentials", "authorization_code", "refresh_token",
					"urn:ietf:params:oauth:grant-type:token-exchange")
			.doesNotContain("implicit", "password");
		assertThat((Map<Object, Object>) seen.get("introspected")).containsEntry("active", true)
			.containsEntry("clientId", "node-svc");
		assertThat((Map<Object, Object>) seen.get("afterRevocation")).containsEntry("active", false);
	}

	@Test
	void aTokenSignedByARotatedKeyVerifiesAgainstTheJwkSet() throws Exception {
		String secret = client("node-rotated");
		HttpResponse<String> rotated = send("POST", "/api/signing-keys/rotate", ADMIN, null);
		String kid = (String) object(rotated).get("kid");
		Map<String, Object> seen = OpenIdClient.run("client-credentials", environment("node-rotated", secret));
		assertThat(seen).containsEntry("kid", kid);
	}

	@Test
	@SuppressWarnings("unchecked")
	void codeWithPkceThroughTheSignInFormConsentUserinfoAndRefreshRotation() throws Exception {
		realmUser("alice", "alice-password-1");
		HttpResponse<String> created = send("POST", "/api/oauth-clients", ADMIN,
				toJson(Map.of("client-id", "node-web", "name", "Web app", "type", "confidential", "realm", "Flows",
						"grant-types", List.of("authorization_code", "refresh_token"), "scopes",
						List.of("openid", "profile", "read"), "redirect-uris", List.of(REDIRECT_URI),
						"post-logout-redirect-uris", List.of(LOGOUT_URI))));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		Map<String, String> environment = new java.util.HashMap<>(
				environment("node-web", (String) object(created).get("client-secret")));
		environment.put("REDIRECT_URI", REDIRECT_URI);
		environment.put("POST_LOGOUT_REDIRECT_URI", LOGOUT_URI);
		environment.put("USERNAME", "alice");
		environment.put("PASSWORD", "alice-password-1");
		Map<String, Object> seen = OpenIdClient.run("code", environment);
		assertThat((String) seen.get("signInPage")).startsWith(control("/identity/sign-in"));
		assertThat(seen).containsEntry("consentShown", true);
		String subject = IdentityClaims.subject("Flows", "alice");
		assertThat((Map<String, Object>) seen.get("idToken")).containsEntry("sub", subject)
			.containsEntry("iss", control(""))
			.containsEntry("preferredUsername", "alice");
		assertThat(subject).isNotEqualTo("alice");
		assertThat((Map<String, Object>) seen.get("userinfo")).containsEntry("sub", subject);
		assertThat((String) seen.get("scope")).contains("openid", "read");
		assertThat(seen).containsEntry("refreshRotated", true)
			.containsEntry("reuse", "invalid_grant")
			.containsEntry("afterReuse", "invalid_grant");
	}

	private void realmUser(String name, String password) throws Exception {
		if (get("/api/realms/Flows/users", ADMIN).body().contains("\"" + name + "\"")) {
			return;
		}
		HttpResponse<String> added = send("POST", "/api/realms/Flows/users", ADMIN,
				toJson(Map.of("name", name, "password", password)));
		assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
	}

	private String client(String clientId) throws Exception {
		HttpResponse<String> created = send("POST", "/api/oauth-clients", ADMIN,
				toJson(Map.of("client-id", clientId, "type", "confidential", "realm", "Flows", "grant-types",
						List.of("client_credentials"), "scopes", List.of("read"))));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		return (String) object(created).get("client-secret");
	}

	private Map<String, String> environment(String clientId, String secret) {
		return Map.of("ISSUER", control(""), "CLIENT_ID", clientId, "CLIENT_SECRET", secret);
	}

}
