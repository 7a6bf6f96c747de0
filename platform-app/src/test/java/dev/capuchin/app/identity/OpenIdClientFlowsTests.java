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
