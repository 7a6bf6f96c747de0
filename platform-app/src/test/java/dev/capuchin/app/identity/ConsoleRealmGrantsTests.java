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
		String secret = (String) apiClient(Map.of("client-id", "their-app", "type", "confidential", "realm", "Theirs",
				"grant-types", List.of("authorization_code", "refresh_token"), "scopes", List.of("openid", "profile"),
				"redirect-uris", List.of(REDIRECT_URI)))
			.get("client-secret");
		Map<String, Object> tokens = userTokens("their-app", secret, REDIRECT_URI, "their-user",
				"their-user-password-1", "openid profile");
		HttpClient admin = admin();
		String grantId = ConsoleOAuthClientsTests.grantId(page(admin, "/console/realms/Theirs").body());
		submit(admin, "/console/realms/Mine", "/console/realms/Mine/grants/" + grantId + "/revoke", "");
		assertThat(page(admin, "/console/realms/Mine").body()).contains("No such grant");
		assertThat(active("their-app", secret, (String) tokens.get("access_token"))).isTrue();
		assertThat(post(admin, "/console/realms/Theirs/grants/" + grantId + "/revoke", "").statusCode()).isEqualTo(403);
	}

}
