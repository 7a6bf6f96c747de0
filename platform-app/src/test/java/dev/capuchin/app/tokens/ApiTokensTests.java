package dev.capuchin.app.tokens;

import dev.capuchin.app.shared.api.ApiTestSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.capuchin.app.TestApplication;
import dev.capuchin.app.audit.AuditLog;
import dev.capuchin.app.users.ConsoleUser;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

class ApiTokensTests extends ApiTestSupport {

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	AuditLog audit;

	@Autowired
	ApiTokenService tokens;

	@Test
	void aTokenCreatedThroughTheApiWorksUntilItIsRevoked() throws Exception {
		Map<String, Object> created = createToken("revoked-later", "read");
		String token = (String) created.get("token");
		assertThat(token).startsWith("cap_").hasSize(47);
		assertThat(created).containsEntry("scope", "read").containsEntry("status", "active");
		assertThat(created.get("expires-at")).isNull();
		assertThat(get("/api/status", bearer(token)).statusCode()).isEqualTo(200);
		HttpResponse<String> revoked = send("DELETE", "/api/tokens/" + created.get("id"), ADMIN, null);
		assertThat(revoked.statusCode()).isEqualTo(200);
		assertThat(object(revoked)).containsEntry("status", "revoked").doesNotContainKey("token");
		HttpResponse<String> refused = get("/api/status", bearer(token));
		assertThat(refused.statusCode()).isEqualTo(401);
		assertThat(refused.headers().firstValue("www-authenticate"))
			.hasValueSatisfying((challenge) -> assertThat(challenge).startsWith("Bearer ")
				.contains("error=\"invalid_token\"", "revoked"));
		assertThat(error(refused)).isEqualTo("token: the token was revoked");
		assertThat(this.audit.recent(20)).anySatisfy((entry) -> {
			assertThat(entry.action()).isEqualTo("added");
			assertThat(entry.target()).isEqualTo("token " + created.get("id") + " (revoked-later)");
			assertThat(entry.actor()).isEqualTo("admin");
			assertThat(entry.after()).contains("scope: read").doesNotContain(token);
		}).anySatisfy((entry) -> {
			assertThat(entry.action()).isEqualTo("revoked");
			assertThat(entry.target()).isEqualTo("token " + created.get("id") + " (revoked-later)");
		});
	}

	@Test
	void theStoreHoldsTheHashOfTheTokenNotTheToken() throws Exception {
		Map<String, Object> created = createToken("hashed", "read");
		String token = (String) created.get("token");
		Map<String, Object> row = this.jdbc.queryForMap("select * from api_token where id = ?", created.get("id"));
		assertThat(row.get("TOKEN_HASH")).isEqualTo(ApiTokenService.hash(token)).asString().hasSize(64);
		assertThat(row.values()).noneSatisfy((value) -> assertThat(String.valueOf(value)).contains(token.substring(4)));
		HttpResponse<String> listed = get("/api/tokens", ADMIN);
		assertThat(listed.body()).doesNotContain(token).doesNotContain((String) row.get("TOKEN_HASH"));
	}

	@Test
	void anExpiredTokenIsRefused() throws Exception {
		ApiTokenService.Created created = this.tokens.create("expired", ApiToken.Scope.READ, Duration.ofDays(1),
				"admin");
		assertThat(get("/api/sites", bearer(created.secret())).statusCode()).isEqualTo(200);
		this.jdbc.update("update api_token set expires_at = ? where id = ?",
				Timestamp.from(Instant.now().minusSeconds(60)), created.token().id());
		HttpResponse<String> refused = get("/api/sites", bearer(created.secret()));
		assertThat(refused.statusCode()).isEqualTo(401);
		assertThat(refused.headers().firstValue("www-authenticate"))
			.hasValueSatisfying((challenge) -> assertThat(challenge).contains("error=\"invalid_token\"", "expired"));
		assertThat(object(get("/api/tokens/" + created.token().id(), ADMIN))).containsEntry("status", "expired");
	}

	@Test
	void anUnknownOrMalformedTokenIsRefused() throws Exception {
		byte[] random = new byte[32];
		new SecureRandom().nextBytes(random);
		String unknown = "cap_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
		for (String token : new String[] { unknown, "not-a-token", unknown + "x" }) {
			HttpResponse<String> refused = get("/api/sites", bearer(token));
			assertThat(refused.statusCode()).isEqualTo(401);
			assertThat(refused.headers().firstValue("www-authenticate"))
				.hasValueSatisfying((challenge) -> assertThat(challenge).contains("error=\"invalid_token\""));
			assertThat(error(refused)).isEqualTo("token: unknown token");
		}
	}

	@Test
	void aReadTokenMayReadButNotChange() throws Exception {
		String token = (String) createToken("reader", "read").get("token");
		assertThat(get("/api/sites", bearer(token)).statusCode()).isEqualTo(200);
		assertThat(get("/api/config", bearer(token)).statusCode()).isEqualTo(200);
		assertThat(get("/actuator/capuchin", bearer(token)).statusCode()).isEqualTo(200);
		HttpResponse<String> refused = send("PUT", "/api/sites/default", bearer(token), "{}");
		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(refused.headers().firstValue("www-authenticate"))
			.hasValueSatisfying((challenge) -> assertThat(challenge).startsWith("Bearer ")
				.contains("error=\"insufficient_scope\"", "scope=\"write\""));
		assertThat(error(refused)).isEqualTo("scope: read (expected: write for PUT)");
		assertThat(send("POST", "/api/sites/default/disable", bearer(token), null).statusCode()).isEqualTo(403);
		assertThat(send("POST", "/actuator/logger", bearer(token), null).statusCode()).isEqualTo(403);
	}

	@Test
	void aWriteTokenChangesConfigurationButCannotManageTokens() throws Exception {
		String token = (String) createToken("writer", "write").get("token");
		Path root = documentRoot("writer-site", "writer site");
		HttpResponse<String> shown = send("POST", "/api/sites?dry-run=true", bearer(token),
				toJson(Map.of("name", "writer-site", "document-root", root.toString())));
		assertThat(shown.statusCode()).isEqualTo(200);
		assertThat(object(shown)).containsEntry("applied", false).containsEntry("dry-run", true);
		HttpResponse<String> refused = send("POST", "/api/tokens", bearer(token),
				toJson(Map.of("name", "longer-lived", "scope", "write")));
		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(refused.headers().firstValue("www-authenticate"))
			.hasValueSatisfying((challenge) -> assertThat(challenge).contains("error=\"insufficient_scope\""));
		assertThat(get("/api/tokens", bearer(token)).statusCode()).isEqualTo(403);
	}

	@Test
	void aChangeMadeWithATokenIsAuditedUnderTheTokensName() throws Exception {
		Map<String, Object> created = createToken("auditor", "write");
		String token = (String) created.get("token");
		Path root = documentRoot("token-site", "token site");
		HttpResponse<String> added = send("POST", "/api/sites", bearer(token), toJson(
				Map.of("name", "token-site", "server-names", List.of("token.test"), "document-root", root.toString())));
		assertThat(added.statusCode()).isEqualTo(201);
		assertThat(this.audit.recent(10)).anySatisfy((entry) -> {
			assertThat(entry.target()).isEqualTo("site token-site");
			assertThat(entry.actor()).isEqualTo("token " + created.get("id") + " (auditor)");
		});
	}

	@Test
	void aUseIsRecordedAtMostOnceAMinute() throws Exception {
		Map<String, Object> created = createToken("used", "read");
		String token = (String) created.get("token");
		assertThat(object(get("/api/tokens/" + created.get("id"), ADMIN)).get("last-used-at")).isNull();
		get("/api/plugins", bearer(token));
		Timestamp first = this.jdbc.queryForObject("select last_used_at from api_token where id = ?", Timestamp.class,
				created.get("id"));
		assertThat(first).isNotNull();
		get("/api/plugins", bearer(token));
		get("/api/plugins", bearer(token));
		Timestamp later = this.jdbc.queryForObject("select last_used_at from api_token where id = ?", Timestamp.class,
				created.get("id"));
		assertThat(later).isEqualTo(first);
		this.jdbc.update("update api_token set last_used_at = ? where id = ?",
				Timestamp.from(Instant.now().minusSeconds(61)), created.get("id"));
		get("/api/plugins", bearer(token));
		Timestamp refreshed = this.jdbc.queryForObject("select last_used_at from api_token where id = ?",
				Timestamp.class, created.get("id"));
		assertThat(refreshed.toInstant()).isAfter(Instant.now().minusSeconds(30));
	}

	@Test
	void basicStillWorksAndAWrongPasswordGetsBothChallenges() throws Exception {
		assertThat(get("/api/sites", ADMIN).statusCode()).isEqualTo(200);
		HttpResponse<String> refused = get("/api/sites", TestApplication.basic("admin:wrong"));
		assertThat(refused.statusCode()).isEqualTo(401);
		assertThat(refused.headers().allValues("www-authenticate"))
			.anySatisfy((challenge) -> assertThat(challenge).startsWith("Basic "))
			.anySatisfy((challenge) -> assertThat(challenge).startsWith("Bearer "));
		assertThat(error(refused)).isEqualTo("authorization: wrong user name or password");
		HttpResponse<String> anonymous = get("/api/sites", null);
		assertThat(anonymous.statusCode()).isEqualTo(401);
		assertThat(error(anonymous)).startsWith("authorization: missing");
	}

	@Test
	void aViewerAccountMayReadTheApiButNotChangeItNorSeeAccounts() throws Exception {
		account("api-viewer", ConsoleUser.Role.VIEWER, "viewer-password-1");
		String viewer = TestApplication.basic("api-viewer:viewer-password-1");
		assertThat(get("/api/sites", viewer).statusCode()).isEqualTo(200);
		assertThat(get("/api/status", viewer).statusCode()).isEqualTo(200);
		HttpResponse<String> refused = send("POST", "/api/sites/default/disable", viewer, null);
		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(refused.headers().firstValue("www-authenticate")).isEmpty();
		assertThat(error(refused)).startsWith("role: viewer");
		assertThat(get("/api/users", viewer).statusCode()).isEqualTo(403);
		assertThat(get("/api/tokens", viewer).statusCode()).isEqualTo(403);
		assertThat(get("/actuator/capuchin", viewer).statusCode()).isEqualTo(403);
	}

	@Test
	void aConsoleSessionDoesNotOpenTheApi() throws Exception {
		HttpClient client = browser();
		HttpResponse<String> login = client.send(HttpRequest.newBuilder(URI.create(control("/console/login"))).build(),
				HttpResponse.BodyHandlers.ofString());
		Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(login.body());
		assertThat(csrf.find()).isTrue();
		HttpResponse<String> signedIn = client.send(HttpRequest.newBuilder(URI.create(control("/console/login")))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("username=admin&password=" + PASSWORD + "&_csrf=" + csrf.group(1),
					StandardCharsets.UTF_8))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(signedIn.statusCode()).isEqualTo(302);
		assertThat(client
			.send(HttpRequest.newBuilder(URI.create(control("/console/tokens"))).build(),
					HttpResponse.BodyHandlers.ofString())
			.statusCode()).isEqualTo(200);
		for (String path : new String[] { "/api/status", "/api/tokens", "/api/sites" }) {
			assertThat(client
				.send(HttpRequest.newBuilder(URI.create(control(path))).build(), HttpResponse.BodyHandlers.ofString())
				.statusCode()).isEqualTo(401);
		}
		HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create(control("/api/tokens")))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"from-a-browser\",\"scope\":\"write\"}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(post.statusCode()).isEqualTo(401);
		assertThat(post.headers().allValues("set-cookie")).isEmpty();
	}

	@Test
	void aChangeABrowserSendsFromAnotherSiteIsRefusedEvenWithCredentials() throws Exception {
		HttpClient client = HttpClient.newHttpClient();
		for (String[] header : new String[][] { { "Sec-Fetch-Site", "cross-site" },
				{ "Origin", "http://attacker.example" } }) {
			HttpResponse<String> refused = client
				.send(HttpRequest.newBuilder(URI.create(control("/api/sites/default/disable")))
					.header("Authorization", ADMIN)
					.header(header[0], header[1])
					.POST(HttpRequest.BodyPublishers.noBody())
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(refused.statusCode()).isEqualTo(403);
			assertThat(error(refused)).startsWith("origin: ");
		}
		assertThat(object(get("/api/sites/default", ADMIN))).containsEntry("enabled", true);
		HttpResponse<String> sameOrigin = client
			.send(HttpRequest.newBuilder(URI.create(control("/api/sites/default/disable?dry-run=true")))
				.header("Authorization", ADMIN)
				.header("Origin", "http://127.0.0.1:" + this.controlPort)
				.POST(HttpRequest.BodyPublishers.noBody())
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(sameOrigin.statusCode()).isNotEqualTo(403);
		assertThat(get("/api/sites", ADMIN).statusCode()).isEqualTo(200);
	}

	@Test
	void tokenRequestsNamingTheFieldAtFaultAreRefused() throws Exception {
		Map<String, Object> missingName = new HashMap<>(Map.of("scope", "read"));
		assertRefused(send("POST", "/api/tokens", ADMIN, toJson(missingName)), 400, "name: missing");
		assertRefused(send("POST", "/api/tokens", ADMIN, toJson(Map.of("name", "-x", "scope", "read"))), 400,
				"name: '-x'");
		assertRefused(send("POST", "/api/tokens", ADMIN, toJson(Map.of("name", "scoped", "scope", "admin"))), 400,
				"scope: 'admin' (expected: read or write)");
		assertRefused(
				send("POST", "/api/tokens", ADMIN,
						toJson(Map.of("name", "dated", "scope", "read", "expires-in-days", 0))),
				400, "expires-in-days: 0");
		assertRefused(send("POST", "/api/tokens", ADMIN, "{\"name\": "), 400, "body: ");
		createToken("taken", "read");
		assertRefused(send("POST", "/api/tokens", ADMIN, toJson(Map.of("name", "Taken", "scope", "write"))), 409,
				"name: a token named 'Taken' exists already");
		assertRefused(send("DELETE", "/api/tokens/999999", ADMIN, null), 404, "token 999999: not found");
		assertRefused(send("DELETE", "/api/tokens/x", ADMIN, null), 400, "id: 'x'");
	}

	@Test
	void aTokenWithAnExpiryReportsIt() throws Exception {
		HttpResponse<String> created = send("POST", "/api/tokens", ADMIN,
				toJson(Map.of("name", "thirty-days", "scope", "read", "expires-in-days", 30)));
		assertThat(created.statusCode()).isEqualTo(201);
		assertThat(created.headers().firstValue("location")).hasValueSatisfying(
				(location) -> assertThat(location).endsWith("/api/tokens/" + object(created).get("id")));
		assertThat(created.headers().firstValue("cache-control")).hasValue("no-store");
		Instant expires = Instant.parse((String) object(created).get("expires-at"));
		assertThat(expires).isBetween(Instant.now().plus(Duration.ofDays(29)), Instant.now().plus(Duration.ofDays(31)));
	}

}
