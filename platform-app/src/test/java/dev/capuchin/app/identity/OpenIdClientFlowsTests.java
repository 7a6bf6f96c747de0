package dev.capuchin.app.identity;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.sun.net.httpserver.HttpServer;

import dev.capuchin.app.shared.api.ApiTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flows driven by {@code openid-client} through Node against the control listener, with
 * clients made through {@code /api/oauth-clients}.
 */
class OpenIdClientFlowsTests extends ApiTestSupport {

	private static final String REDIRECT_URI = "http://127.0.0.1:9/callback";

	private static final String LOGOUT_URI = "http://127.0.0.1:9/signed-out";

	@Autowired
	private JdbcTemplate jdbc;

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

	@Test
	@SuppressWarnings("unchecked")
	void emailNameAndGroupsReachTheIdTokenAndUserinfoOnlyWhenTheScopesAskForThem() throws Exception {
		if (!get("/api/realms/Flows/users", ADMIN).body().contains("\"gail\"")) {
			HttpResponse<String> added = send("POST", "/api/realms/Flows/users", ADMIN,
					toJson(Map.of("name", "gail", "password", "gail-password-1", "email", "gail@example.com",
							"display-name", "Gail Force", "groups", List.of("staff", "admins"))));
			assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
		}
		Map<String, String> environment = webClient("node-claims", "gail", "gail-password-1");
		environment.put("SCOPE", "openid profile email groups");
		Map<String, Object> all = OpenIdClient.run("claims", environment);
		String subject = IdentityClaims.subject("Flows", "gail");
		Map<String, Object> idToken = (Map<String, Object>) all.get("idToken");
		assertThat(idToken).containsEntry("sub", subject)
			.containsEntry("preferred_username", "gail")
			.containsEntry("email", "gail@example.com")
			.containsEntry("name", "Gail Force")
			.containsEntry("groups", List.of("admins", "staff"));
		assertThat((Map<String, Object>) all.get("userinfo")).containsEntry("sub", subject)
			.containsEntry("preferred_username", "gail")
			.containsEntry("email", "gail@example.com")
			.containsEntry("name", "Gail Force")
			.containsEntry("groups", List.of("admins", "staff"));

		environment.put("SCOPE", "openid");
		Map<String, Object> bare = OpenIdClient.run("claims", environment);
		assertThat((Map<String, Object>) bare.get("idToken")).containsEntry("preferred_username", "gail")
			.doesNotContainKeys("email", "name", "groups");
		assertThat((Map<String, Object>) bare.get("userinfo")).containsOnlyKeys("sub", "preferred_username");
	}

	@Test
	void rpInitiatedLogoutRedirectsWithItsStateAndEndsTheSession() throws Exception {
		realmUser("lou", "lou-password-1");
		Map<String, String> environment = webClient("node-logout", "lou", "lou-password-1");
		Map<String, Object> seen = OpenIdClient.run("logout", environment);
		assertThat(seen).containsEntry("endSessionEndpoint", control("/connect/logout"))
			.containsEntry("loggedOut", LOGOUT_URI + "?state=bye");
		// the realm user's session is gone: a new authorization asks for the sign-in
		// again
		assertThat((String) seen.get("afterLogout")).startsWith(control("/identity/sign-in"));
	}

	@Test
	@SuppressWarnings("unchecked")
	void deviceFlowThroughTheVerificationPageWithAWrongCodeFirst() throws Exception {
		realmUser("dora", "dora-password-1");
		Map<String, String> environment = new HashMap<>(environment("node-tv", deviceClient("node-tv")));
		environment.put("USERNAME", "dora");
		environment.put("PASSWORD", "dora-password-1");
		Map<String, Object> seen = OpenIdClient.run("device", environment);
		assertThat(seen).containsEntry("verificationUri", control("/oauth2/device_verification"))
			.containsEntry("pageStatus", 200)
			.containsEntry("consentShown", true)
			.containsEntry("approved", true)
			.containsEntry("scope", "read")
			.containsEntry("refreshToken", true);
		assertThat((String) seen.get("verificationUriComplete"))
			.isEqualTo(control("/oauth2/device_verification?user_code=" + seen.get("userCode")));
		assertThat((Map<String, Object>) seen.get("wrongCode")).containsEntry("status", 400)
			.containsEntry("unknown", true);
		assertThat((String) seen.get("signInPage")).startsWith(control("/identity/sign-in"));
		assertThat((Map<String, Object>) seen.get("introspected")).containsEntry("active", true)
			.containsEntry("sub", IdentityClaims.subject("Flows", "dora"));
	}

	@Test
	@SuppressWarnings("unchecked")
	void anExpiredDeviceCodeIsRefusedOnTheVerificationPageAndToThePollingDevice() throws Exception {
		Map<String, String> environment = new HashMap<>(environment("node-tv-late", deviceClient("node-tv-late")));
		Map<String, Object> started = OpenIdClient.run("device-start", environment);
		// the codes' lifetime passes: moved into the past in the store, as a clock would
		Timestamp issued = Timestamp.from(Instant.now().minusSeconds(600));
		Timestamp expires = Timestamp.from(Instant.now().minusSeconds(1));
		int expired = this.jdbc.update(
				"""
						update oauth2_authorization
						set user_code_issued_at = ?, user_code_expires_at = ?, device_code_issued_at = ?, device_code_expires_at = ?
						where user_code_value = ?""",
				issued, expires, issued, expires, started.get("userCode"));
		assertThat(expired).isOne();
		environment.put("DEVICE_CODE", (String) started.get("deviceCode"));
		environment.put("USER_CODE", (String) started.get("userCode"));
		environment.put("VERIFICATION_URI", (String) started.get("uri"));
		Map<String, Object> seen = OpenIdClient.run("device-expired", environment);
		assertThat((Map<String, Object>) seen.get("entered")).containsEntry("status", 400)
			.containsEntry("unknown", true);
		assertThat(seen).containsEntry("polled", "expired_token");
	}

	@Test
	@SuppressWarnings("unchecked")
	void aConfidentialClientExchangesARealmUsersAccessTokenAndAPublicClientIsRefused() throws Exception {
		realmUser("ezra", "ezra-password-1");
		Map<String, String> environment = webClient("node-front", "ezra", "ezra-password-1");
		HttpResponse<String> exchanger = send("POST", "/api/oauth-clients", ADMIN,
				toJson(Map.of("client-id", "node-back", "type", "confidential", "realm", "Flows", "grant-types",
						List.of("urn:ietf:params:oauth:grant-type:token-exchange"), "scopes", List.of("read"))));
		assertThat(exchanger.statusCode()).as(exchanger.body()).isEqualTo(201);
		HttpResponse<String> publicClient = send("POST", "/api/oauth-clients", ADMIN,
				toJson(Map.of("client-id", "node-spa", "type", "public", "realm", "Flows", "grant-types",
						List.of("authorization_code"), "scopes", List.of("read"), "redirect-uris",
						List.of(REDIRECT_URI))));
		assertThat(publicClient.statusCode()).as(publicClient.body()).isEqualTo(201);
		environment.put("EXCHANGE_CLIENT_ID", "node-back");
		environment.put("EXCHANGE_CLIENT_SECRET", (String) object(exchanger).get("client-secret"));
		environment.put("PUBLIC_CLIENT_ID", "node-spa");
		Map<String, Object> seen = OpenIdClient.run("token-exchange", environment);
		String subject = IdentityClaims.subject("Flows", "ezra");
		assertThat(seen).containsEntry("issuedTokenType", "urn:ietf:params:oauth:token-type:access_token")
			.containsEntry("scope", "read")
			.containsEntry("subjectSub", subject)
			.containsEntry("publicClient", "invalid_client");
		Map<String, Object> exchanged = (Map<String, Object>) seen.get("exchanged");
		assertThat(exchanged).containsEntry("sub", subject).containsEntry("preferredUsername", "ezra");
		assertThat(String.valueOf(exchanged.get("aud"))).contains("node-back");
	}

	@Test
	void aPublicClientCannotBeGivenTheTokenExchangeGrant() throws Exception {
		HttpResponse<String> refused = send("POST", "/api/oauth-clients", ADMIN,
				toJson(Map.of("client-id", "node-spa-exchange", "type", "public", "realm", "Flows", "grant-types",
						List.of("urn:ietf:params:oauth:grant-type:token-exchange"))));
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(refused.body()).contains("grant-types").contains("confidential");
	}

	@Test
	void aPublicClientCannotBeGivenTheDeviceCodeGrant() throws Exception {
		HttpResponse<String> refused = send("POST", "/api/oauth-clients", ADMIN,
				toJson(Map.of("client-id", "node-tv-public", "type", "public", "realm", "Flows", "grant-types",
						List.of("urn:ietf:params:oauth:grant-type:device_code"))));
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(refused.body()).contains("grant-types").contains("device_code").contains("confidential");
	}

	@Test
	@SuppressWarnings("unchecked")
	void privateKeyJwtAuthenticatesWithTheKeyFromTheClientsJwkSetUrl() throws Exception {
		RSAKey key = new RSAKeyGenerator(2048).keyID("node-signer-1").generate();
		AtomicInteger fetched = new AtomicInteger();
		HttpServer jwks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		jwks.createContext("/jwks.json", (exchange) -> {
			fetched.incrementAndGet();
			byte[] body = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		jwks.start();
		try {
			String url = "http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks.json";
			HttpResponse<String> created = send("POST", "/api/oauth-clients", ADMIN,
					toJson(Map.of("client-id", "node-signer", "type", "confidential", "realm", "Flows", "grant-types",
							List.of("client_credentials"), "scopes", List.of("read"), "jwk-set-url", url)));
			assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
			Map<String, Object> seen = OpenIdClient.run("private-key-jwt",
					Map.of("ISSUER", control(""), "CLIENT_ID", "node-signer", "PRIVATE_JWK", key.toJSONString()));
			assertThat((List<Object>) seen.get("authMethods")).contains("private_key_jwt");
			assertThat(seen).containsEntry("scope", "read").containsEntry("wrongKey", "invalid_client");
			assertThat((Map<String, Object>) seen.get("introspected")).containsEntry("active", true)
				.containsEntry("clientId", "node-signer")
				.containsEntry("sub", "node-signer");
			assertThat(fetched).hasPositiveValue();
		}
		finally {
			jwks.stop(0);
		}
	}

	private Map<String, String> webClient(String clientId, String username, String password) throws Exception {
		HttpResponse<String> created = send("POST", "/api/oauth-clients", ADMIN,
				toJson(Map.of("client-id", clientId, "name", "Web app", "type", "confidential", "realm", "Flows",
						"grant-types", List.of("authorization_code", "refresh_token"), "scopes",
						List.of("openid", "profile", "email", "groups", "read"), "redirect-uris", List.of(REDIRECT_URI),
						"post-logout-redirect-uris", List.of(LOGOUT_URI))));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		Map<String, String> environment = new HashMap<>(
				environment(clientId, (String) object(created).get("client-secret")));
		environment.put("REDIRECT_URI", REDIRECT_URI);
		environment.put("POST_LOGOUT_REDIRECT_URI", LOGOUT_URI);
		environment.put("USERNAME", username);
		environment.put("PASSWORD", password);
		return environment;
	}

	private String deviceClient(String clientId) throws Exception {
		HttpResponse<String> created = send("POST", "/api/oauth-clients", ADMIN,
				toJson(Map.of("client-id", clientId, "name", "Television", "type", "confidential", "realm", "Flows",
						"grant-types", List.of("urn:ietf:params:oauth:grant-type:device_code", "refresh_token"),
						"scopes", List.of("read"))));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		return (String) object(created).get("client-secret");
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
