package dev.capuchin.app.identity;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A realm's page lists its users' active grants to the realm's OAuth clients, and an
 * admin revokes one there; a client acting for itself is no realm user and is not listed.
 */
class ConsoleRealmGrantsTests extends IdentityConsoleTestSupport {

	private static final String REDIRECT_URI = "http://127.0.0.1:9/realm-callback";

	@Test
	void aRealmUsersGrantIsListedOnTheRealmsPageAndRevokedThere() throws Exception {
		realmWithUser("Granting", "grant-user", "grant-user-password-1");
		String secret = (String) apiClient(
				Map.of("client-id", "realm-app", "name", "Realm app", "type", "confidential", "realm", "Granting",
						"grant-types", List.of("authorization_code", "refresh_token", "client_credentials"), "scopes",
						List.of("openid", "profile"), "redirect-uris", List.of(REDIRECT_URI)))
			.get("client-secret");
		HttpClient admin = admin();
		assertThat(page(admin, "/console/realms/Granting").body()).contains("id=\"grants-empty\"");
		assertThat(tokenEndpoint("/oauth2/token", "realm-app", secret, "grant_type=client_credentials").statusCode())
			.isEqualTo(200);
		Map<String, Object> tokens = userTokens("realm-app", secret, REDIRECT_URI, "grant-user",
				"grant-user-password-1", "openid profile");

		String page = page(admin, "/console/realms/Granting").body();
		assertThat(page).contains("id=\"realm-grants\"", "data-principal=\"grant-user\"", ">realm-app</a>")
			.doesNotContain("data-principal=\"realm-app\"");
		String grantId = ConsoleOAuthClientsTests.grantId(page);
		HttpResponse<String> revoked = submit(admin, "/console/realms/Granting",
				"/console/realms/Granting/grants/" + grantId + "/revoke", "");
		assertThat(revoked.headers().firstValue("location").orElseThrow()).endsWith("/console/realms/Granting#grants");
		assertThat(page(admin, "/console/realms/Granting").body()).contains("Grant of grant-user to realm-app revoked",
				"id=\"grants-empty\"");
		assertThat(refresh("realm-app", secret, (String) tokens.get("refresh_token")).statusCode()).isEqualTo(400);
		assertThat(active("realm-app", secret, (String) tokens.get("access_token"))).isFalse();
	}

	@Test
	void aGrantOfAnotherRealmIsNotRevokedThroughThisRealmsPage() throws Exception {
		realmWithUser("Mine", "mine-user", "mine-user-password-1");
		realmWithUser("Theirs", "their-user", "their-user-password-1");
		String secret = codeClient("their-app", "Theirs");
		Map<String, Object> tokens = userTokens("their-app", secret, REDIRECT_URI, "their-user",
				"their-user-password-1", "openid profile");
		HttpClient admin = admin();
		String grantId = ConsoleOAuthClientsTests.grantId(page(admin, "/console/realms/Theirs").body());
		submit(admin, "/console/realms/Mine", "/console/realms/Mine/grants/" + grantId + "/revoke", "");
		assertThat(page(admin, "/console/realms/Mine").body()).contains("No such grant");
		assertThat(active("their-app", secret, (String) tokens.get("access_token"))).isTrue();
		assertThat(post(admin, "/console/realms/Theirs/grants/" + grantId + "/revoke", "").statusCode()).isEqualTo(403);
	}

	@Test
	void deletingARealmUserRevokesTheirGrantsAndLeavesTheOtherUsersAlone() throws Exception {
		realmWithUser("Leaving", "leaving-user", "leaving-user-password-1");
		realmWithUser("Leaving", "staying-user", "staying-user-password-1");
		String secret = codeClient("leaving-app", "Leaving");
		Map<String, Object> leaving = userTokens("leaving-app", secret, REDIRECT_URI, "leaving-user",
				"leaving-user-password-1", "openid profile");
		Map<String, Object> staying = userTokens("leaving-app", secret, REDIRECT_URI, "staying-user",
				"staying-user-password-1", "openid profile");

		assertThat(send("DELETE", "/api/realms/Leaving/users/leaving-user", ADMIN, null).statusCode()).isEqualTo(204);

		assertThat(refresh("leaving-app", secret, (String) leaving.get("refresh_token")).statusCode()).isEqualTo(400);
		assertThat(active("leaving-app", secret, (String) leaving.get("access_token"))).isFalse();
		assertThat(active("leaving-app", secret, (String) staying.get("access_token"))).isTrue();
		assertThat(refresh("leaving-app", secret, (String) staying.get("refresh_token")).statusCode()).isEqualTo(200);
		assertThat(get("/api/audit?limit=20", ADMIN).body()).contains("oauth-client leaving-app user leaving-user",
				"user deleted");
	}

	@Test
	void changingARealmUsersPasswordRevokesTheGrantsTheOldPasswordGave() throws Exception {
		realmWithUser("Rekeyed", "rekeyed-user", "rekeyed-user-password-1");
		String secret = codeClient("rekeyed-app", "Rekeyed");
		Map<String, Object> before = userTokens("rekeyed-app", secret, REDIRECT_URI, "rekeyed-user",
				"rekeyed-user-password-1", "openid profile");

		assertThat(send("PUT", "/api/realms/Rekeyed/users/rekeyed-user", ADMIN,
				toJson(Map.of("email", "rekeyed@example.test")))
			.statusCode()).isEqualTo(200);
		assertThat(active("rekeyed-app", secret, (String) before.get("access_token")))
			.as("a profile change keeps grants")
			.isTrue();
		assertThat(send("PUT", "/api/realms/Rekeyed/users/rekeyed-user", ADMIN,
				toJson(Map.of("password", "rekeyed-user-password-2")))
			.statusCode()).isEqualTo(200);

		assertThat(refresh("rekeyed-app", secret, (String) before.get("refresh_token")).statusCode()).isEqualTo(400);
		Map<String, Object> after = userTokens("rekeyed-app", secret, REDIRECT_URI, "rekeyed-user",
				"rekeyed-user-password-2", "openid profile");
		assertThat(active("rekeyed-app", secret, (String) after.get("access_token"))).isTrue();
	}

	/** A confidential client of a realm with the code and refresh grants; its secret. */
	private String codeClient(String clientId, String realm) throws Exception {
		return (String) apiClient(Map.of("client-id", clientId, "type", "confidential", "realm", realm, "grant-types",
				List.of("authorization_code", "refresh_token"), "scopes", List.of("openid", "profile"), "redirect-uris",
				List.of(REDIRECT_URI)))
			.get("client-secret");
	}

}
