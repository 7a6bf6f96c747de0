package dev.capuchin.app.identity;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.capuchin.app.audit.AuditLog;
import dev.capuchin.app.users.ConsoleUser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.convert.DurationStyle;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OAuth clients pages over a real console session, with the CSRF tokens the pages
 * carry, and the token endpoints checking what the pages did.
 */
class ConsoleOAuthClientsTests extends IdentityConsoleTestSupport {

	private static final String REDIRECT_URI = "http://127.0.0.1:9/console-callback";

	@Autowired
	AuditLog audit;

	@BeforeEach
	void realm() throws Exception {
		realmWithUser("Pages", "page-user", "page-user-password-1");
	}

	@Test
	void aConfidentialClientMadeInTheFormShowsItsSecretOnceAndItGetsTokens() throws Exception {
		HttpClient admin = admin();
		HttpResponse<String> created = submit(admin, "/console/oauth-clients/new", "/console/oauth-clients",
				form("formed", "confidential", "client_credentials", "read"));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
		assertThat(created.headers().firstValue("cache-control")).hasValue("no-store");
		assertThat(created.body()).contains("id=\"shown-once\"", "grant_type=client_credentials");
		String secret = secretOf(created.body());
		assertThat(tokenEndpoint("/oauth2/token", "formed", secret, "grant_type=client_credentials&scope=read")
			.statusCode()).isEqualTo(200);
		assertThat(page(admin, "/console/oauth-clients/formed").body()).contains("value=\"formed\"")
			.doesNotContain(secret)
			.doesNotContain("id=\"client-secret\"");
		assertThat(page(admin, "/console/oauth-clients").body()).contains("id=\"client-formed\"")
			.doesNotContain(secret);
		assertThat(this.audit.recent(50)).anySatisfy((entry) -> {
			assertThat(entry.target()).isEqualTo("oauth-client formed");
			assertThat(entry.action()).isEqualTo("added");
			assertThat(entry.actor()).isEqualTo("admin");
		}).noneSatisfy((entry) -> assertThat(String.valueOf(entry.after())).contains(secret));
	}

	@Test
	void aPublicClientHasNoSecretAndOpensItsPage() throws Exception {
		HttpClient admin = admin();
		HttpResponse<String> created = submit(admin, "/console/oauth-clients/new", "/console/oauth-clients",
				form("console-spa", "public", "authorization_code", "openid") + "&redirectUris="
						+ encode(REDIRECT_URI));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(302);
		assertThat(created.headers().firstValue("location").orElseThrow())
			.endsWith("/console/oauth-clients/console-spa");
		String page = page(admin, "/console/oauth-clients/console-spa").body();
		assertThat(page).contains("Public client console-spa created", "A public client has no secret")
			.doesNotContain("id=\"rotate-secret\"");
	}

	@Test
	void refusedValuesAreShownBesideTheirFieldsNamingThemAndNothingIsStored() throws Exception {
		HttpClient admin = admin();
		String action = "/console/oauth-clients";
		String page = "/console/oauth-clients/new";
		assertThat(submit(admin, page, action,
				form("refused", "confidential", "authorization_code", "openid") + "&redirectUris="
						+ encode("/relative"))
			.body())
			.contains("id=\"redirectUris-error\"", "redirect-uris: &#39;/relative&#39; (expected: an absolute URI");
		assertThat(submit(admin, page, action,
				form("refused", "confidential", "client_credentials", "read").replace("accessTokenLifetime=5m",
						"accessTokenLifetime=soon"))
			.body()).contains("id=\"accessTokenLifetime-error\"", "access-token-lifetime: &#39;soon&#39;");
		assertThat(submit(admin, page, action, form("refused", "public", "client_credentials", "read")).body())
			.contains("id=\"grantTypes-error\"", "grant-types: &#39;client_credentials&#39; needs a client");
		assertThat(
				submit(admin, page, action, form("refused", "confidential", "client_credentials", "bad\"scope")).body())
			.contains("id=\"scopes-error\"", "scopes: ");
		assertThat(submit(admin, page, action, form("no spaces", "confidential", "client_credentials", "read")).body())
			.contains("id=\"clientId-error\"", "client-id: ");
		assertThat(submit(admin, page, action,
				form("refused", "confidential", "client_credentials", "read").replace("realm=Pages", "realm=Nowhere"))
			.body()).contains("id=\"realm-error\"", "realm: no realm &#39;Nowhere&#39;");
		assertThat(
				submit(admin, page, action,
						form("refused", "confidential", "client_credentials", "read")
							.replace("&grantTypes=client_credentials", ""))
					.body())
			.contains("id=\"grantTypes-error\"", "grant-types: empty");
		assertThat(get("/api/oauth-clients/refused", ADMIN).statusCode()).isEqualTo(404);

		apiClient(Map.of("client-id", "taken", "type", "confidential", "realm", "Pages", "grant-types",
				List.of("client_credentials")));
		HttpResponse<String> taken = submit(admin, page, action,
				form("taken", "confidential", "client_credentials", "read"));
		assertThat(taken.statusCode()).isEqualTo(200);
		assertThat(taken.body()).contains("id=\"clientId-error\"", "client-id: a client &#39;taken&#39; exists already")
			.doesNotContain("id=\"client-secret\"");
	}

	@Test
	void everyFormNeedsItsCsrfToken() throws Exception {
		HttpClient admin = admin();
		apiClient(Map.of("client-id", "guarded", "type", "confidential", "realm", "Pages", "grant-types",
				List.of("client_credentials")));
		assertThat(post(admin, "/console/oauth-clients", form("nocsrf", "confidential", "client_credentials", "read"))
			.statusCode()).isEqualTo(403);
		assertThat(post(admin, "/console/oauth-clients/guarded/secret", "grace=1h").statusCode()).isEqualTo(403);
		assertThat(post(admin, "/console/oauth-clients/guarded/enabled", "enabled=false").statusCode()).isEqualTo(403);
		assertThat(post(admin, "/console/oauth-clients/guarded/delete", "").statusCode()).isEqualTo(403);
		assertThat(post(admin, "/console/signing-keys/rotate", "").statusCode()).isEqualTo(403);
		assertThat(get("/api/oauth-clients/nocsrf", ADMIN).statusCode()).isEqualTo(404);
		assertThat(get("/api/oauth-clients/guarded", ADMIN).body()).contains("\"enabled\":true");
	}

	@Test
	void theSearchFindsClientsByIdNameOrRealm() throws Exception {
		apiClient(Map.of("client-id", "search-alpha", "name", "Warehouse robot", "type", "confidential", "realm",
				"Pages", "grant-types", List.of("client_credentials")));
		apiClient(Map.of("client-id", "search-beta", "name", "Till", "type", "confidential", "realm", "Pages",
				"grant-types", List.of("client_credentials")));
		HttpClient admin = admin();
		assertThat(page(admin, "/console/oauth-clients?q=WAREHOUSE").body()).contains("id=\"client-search-alpha\"")
			.doesNotContain("id=\"client-search-beta\"");
		assertThat(page(admin, "/console/oauth-clients?q=search-").body()).contains("id=\"client-search-alpha\"",
				"id=\"client-search-beta\"");
		assertThat(page(admin, "/console/oauth-clients?q=nothing-like-it").body()).contains("id=\"no-match\"")
			.doesNotContain("id=\"client-search-alpha\"");
	}

	@Test
	void aRotatedSecretIsShownOnceAndThePreviousOneWorksForTheGracePeriod() throws Exception {
		String first = (String) apiClient(Map.of("client-id", "rotated", "type", "confidential", "realm", "Pages",
				"grant-types", List.of("client_credentials")))
			.get("client-secret");
		HttpClient admin = admin();
		HttpResponse<String> rotated = submit(admin, "/console/oauth-clients/rotated",
				"/console/oauth-clients/rotated/secret", "grace=1h");
		assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
		assertThat(rotated.headers().firstValue("cache-control")).hasValue("no-store");
		assertThat(rotated.body()).contains("id=\"previous-secret\"", "The previous secret keeps working until");
		String second = secretOf(rotated.body());
		assertThat(second).isNotEqualTo(first);
		assertThat(tokenEndpoint("/oauth2/token", "rotated", first, "grant_type=client_credentials").statusCode())
			.isEqualTo(200);
		assertThat(tokenEndpoint("/oauth2/token", "rotated", second, "grant_type=client_credentials").statusCode())
			.isEqualTo(200);
		assertThat(page(admin, "/console/oauth-clients/rotated").body()).contains("id=\"previous-secret-until\"")
			.doesNotContain(second);

		String third = secretOf(
				submit(admin, "/console/oauth-clients/rotated", "/console/oauth-clients/rotated/secret", "grace=0")
					.body());
		assertThat(tokenEndpoint("/oauth2/token", "rotated", second, "grant_type=client_credentials").statusCode())
			.isEqualTo(401);
		assertThat(tokenEndpoint("/oauth2/token", "rotated", third, "grant_type=client_credentials").statusCode())
			.isEqualTo(200);
		assertThat(this.audit.recent(50)).anySatisfy((entry) -> {
			assertThat(entry.target()).isEqualTo("oauth-client rotated");
			assertThat(entry.action()).isEqualTo("rotated");
		});
	}

	@Test
	void aGraceOutsideTheOffersIsRefusedAndTheSecretStays() throws Exception {
		String secret = (String) apiClient(Map.of("client-id", "graceless", "type", "confidential", "realm", "Pages",
				"grant-types", List.of("client_credentials")))
			.get("client-secret");
		HttpClient admin = admin();
		HttpResponse<String> refused = submit(admin, "/console/oauth-clients/graceless",
				"/console/oauth-clients/graceless/secret", "grace=90d");
		assertThat(refused.statusCode()).isEqualTo(302);
		assertThat(page(admin, "/console/oauth-clients/graceless").body())
			.contains("The secret was not rotated: grace:");
		assertThat(tokenEndpoint("/oauth2/token", "graceless", secret, "grant_type=client_credentials").statusCode())
			.isEqualTo(200);
	}

	@Test
	void aClientChangedInTheFormKeepsItsSecret() throws Exception {
		String secret = (String) apiClient(Map.of("client-id", "changed", "type", "confidential", "realm", "Pages",
				"grant-types", List.of("client_credentials"), "scopes", List.of("read")))
			.get("client-secret");
		HttpClient admin = admin();
		HttpResponse<String> saved = submit(admin, "/console/oauth-clients/changed", "/console/oauth-clients/changed",
				"name=Renamed&realm=Pages&grantTypes=client_credentials&scopes=read+write&tokenFormat=opaque"
						+ "&accessTokenLifetime=10m&refreshTokenLifetime=2h");
		assertThat(saved.statusCode()).as(saved.body()).isEqualTo(302);
		Map<String, Object> stored = object(get("/api/oauth-clients/changed", ADMIN));
		assertThat(stored).containsEntry("name", "Renamed")
			.containsEntry("scopes", List.of("read", "write"))
			.containsEntry("token-format", "opaque")
			.containsEntry("consent", false);
		assertThat(DurationStyle.detectAndParse((String) stored.get("access-token-lifetime")))
			.isEqualTo(Duration.ofMinutes(10));
		assertThat(page(admin, "/console/oauth-clients/changed").body()).contains("value=\"10m\"", "value=\"2h\"");
		assertThat(tokenEndpoint("/oauth2/token", "changed", secret, "grant_type=client_credentials&scope=write")
			.statusCode()).isEqualTo(200);
	}

	@Test
	void aDisabledClientGetsNoTokenAndItsGrantsAreRevoked() throws Exception {
		String secret = (String) apiClient(Map.of("client-id", "switched", "type", "confidential", "realm", "Pages",
				"grant-types", List.of("client_credentials"), "token-format", "opaque"))
			.get("client-secret");
		String token = (String) object(
				tokenEndpoint("/oauth2/token", "switched", secret, "grant_type=client_credentials"))
			.get("access_token");
		HttpClient admin = admin();
		assertThat(page(admin, "/console/oauth-clients/switched").body()).contains("class=\"client-grant\"");
		assertThat(submit(admin, "/console/oauth-clients/switched", "/console/oauth-clients/switched/enabled",
				"enabled=false")
			.statusCode()).isEqualTo(302);
		assertThat(page(admin, "/console/oauth-clients/switched").body()).contains("id=\"disabled-badge\"",
				"id=\"enable-client\"", "id=\"grants-empty\"");
		assertThat(tokenEndpoint("/oauth2/token", "switched", secret, "grant_type=client_credentials").statusCode())
			.isEqualTo(401);
		assertThat(submit(admin, "/console/oauth-clients/switched", "/console/oauth-clients/switched/enabled",
				"enabled=true")
			.statusCode()).isEqualTo(302);
		assertThat(active("switched", secret, token)).isFalse();
		assertThat(tokenEndpoint("/oauth2/token", "switched", secret, "grant_type=client_credentials").statusCode())
			.isEqualTo(200);
	}

	@Test
	void deletingAClientAsksFirstAndRevokesItsTokens() throws Exception {
		String secret = (String) apiClient(Map.of("client-id", "console-doomed", "type", "confidential", "realm",
				"Pages", "grant-types", List.of("client_credentials"), "token-format", "opaque"))
			.get("client-secret");
		String token = (String) object(
				tokenEndpoint("/oauth2/token", "console-doomed", secret, "grant_type=client_credentials"))
			.get("access_token");
		String auditor = (String) apiClient(Map.of("client-id", "doomed-auditor", "type", "confidential", "realm",
				"Pages", "grant-types", List.of("client_credentials")))
			.get("client-secret");
		assertThat(active("doomed-auditor", auditor, token)).isTrue();
		HttpClient admin = admin();
		assertThat(page(admin, "/console/oauth-clients/console-doomed/delete").body()).contains("id=\"confirm-delete\"",
				"Its 1 active grant is revoked");
		HttpResponse<String> deleted = submit(admin, "/console/oauth-clients/console-doomed/delete",
				"/console/oauth-clients/console-doomed/delete", "");
		assertThat(deleted.headers().firstValue("location").orElseThrow()).endsWith("/console/oauth-clients");
		assertThat(get("/api/oauth-clients/console-doomed", ADMIN).statusCode()).isEqualTo(404);
		assertThat(active("doomed-auditor", auditor, token)).isFalse();
		assertThat(page(admin, "/console/oauth-clients/console-doomed").statusCode()).isEqualTo(404);
		assertThat(this.audit.recent(50)).anySatisfy((entry) -> {
			assertThat(entry.target()).isEqualTo("oauth-client console-doomed");
			assertThat(entry.action()).isEqualTo("removed");
		});
	}

	@Test
	void aUsersGrantIsListedOnItsClientsPageAndRevokedThere() throws Exception {
		String secret = (String) apiClient(Map.of("client-id", "granted", "name", "Granted app", "type", "confidential",
				"realm", "Pages", "grant-types", List.of("authorization_code", "refresh_token"), "scopes",
				List.of("openid", "profile"), "redirect-uris", List.of(REDIRECT_URI)))
			.get("client-secret");
		Map<String, Object> tokens = userTokens("granted", secret, REDIRECT_URI, "page-user", "page-user-password-1",
				"openid profile");
		HttpClient admin = admin();
		String page = page(admin, "/console/oauth-clients/granted").body();
		assertThat(page).contains("data-principal=\"page-user\"", "profile");
		String grantId = this.grantId(page);
		HttpResponse<String> revoked = submit(admin, "/console/oauth-clients/granted",
				"/console/oauth-clients/granted/grants/" + grantId + "/revoke", "");
		assertThat(revoked.headers().firstValue("location").orElseThrow()).endsWith("#grants");
		assertThat(refresh("granted", secret, (String) tokens.get("refresh_token")).statusCode()).isEqualTo(400);
		assertThat(active("granted", secret, (String) tokens.get("access_token"))).isFalse();
		assertThat(this.audit.recent(50)).anySatisfy((entry) -> {
			assertThat(entry.target()).isEqualTo("oauth-client granted grant " + grantId);
			assertThat(entry.action()).isEqualTo("revoked");
		});
	}

	@Test
	void viewersSeeClientsButChangeNothing() throws Exception {
		account("identity-viewer", ConsoleUser.Role.VIEWER, "viewer-password-1");
		apiClient(Map.of("client-id", "viewed", "type", "confidential", "realm", "Pages", "grant-types",
				List.of("client_credentials")));
		HttpClient viewer = console("identity-viewer", "viewer-password-1");
		assertThat(page(viewer, "/console/oauth-clients").body()).contains("id=\"client-viewed\"", ">OAuth clients</a>")
			.doesNotContain("id=\"new-client\"");
		String page = page(viewer, "/console/oauth-clients/viewed").body();
		assertThat(page).doesNotContain("id=\"rotate-secret\"", "id=\"disable-client\"", "id=\"save-client\"");
		String token = csrf(page(viewer, "/console/oauth-clients").body());
		assertThat(post(viewer, "/console/oauth-clients/viewed/secret", "grace=0&_csrf=" + token).statusCode())
			.isEqualTo(403);
		assertThat(post(viewer, "/console/oauth-clients",
				form("by-viewer", "confidential", "client_credentials", "read") + "&_csrf=" + token)
			.statusCode()).isEqualTo(403);
	}

	static String grantId(String page) {
		java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("/grants/([^/\"]+)/revoke").matcher(page);
		assertThat(matcher.find()).as(page).isTrue();
		return matcher.group(1);
	}

	private static String form(String clientId, String type, String grant, String scopes) {
		return "clientId=" + encode(clientId) + "&name=" + encode("App " + clientId) + "&type=" + type
				+ "&realm=Pages&grantTypes=" + grant + "&scopes=" + encode(scopes)
				+ "&tokenFormat=jwt&accessTokenLifetime=5m&refreshTokenLifetime=1h&consent=true";
	}

}
