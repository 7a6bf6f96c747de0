package dev.capuchin.app.openidlogins;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;
import dev.capuchin.app.audit.AuditLog;
import dev.capuchin.core.spi.Location;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /api/openid-logins} and the {@code openid-logins:} section of
 * {@code /api/config} over real HTTP. The provider is Capuchin's own authorization server
 * in the same application (its discovery document names its issuer), or a loopback server
 * of the test's making for a discovery document that lies.
 */
class OpenIdLoginsApiTests extends OpenIdLoginTestSupport {

	private static final String SECRET = "s3cret-never-shown";

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	AuditLog audit;

	private final HttpClient http = HttpClient.newHttpClient();

	private HttpServer liar;

	@AfterEach
	void stopTheLiar() {
		if (this.liar != null) {
			this.liar.stop(0);
		}
	}

	@Test
	void aLoginIsCreatedAndNoAnswerCarriesItsSecret() throws Exception {
		HttpResponse<String> created = create("corp", issuer(), SECRET);
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		assertThat(created.headers().firstValue("location")).contains("/api/openid-logins/corp");
		assertThat(object(created)).containsEntry("issuer", issuer())
			.containsEntry("client-id", "capuchin")
			.containsEntry("has-client-secret", true)
			.containsEntry("scopes", List.of("openid", "email", "profile"))
			.containsEntry("user-claim", "sub");
		for (HttpResponse<String> answer : List.of(created, get("/api/openid-logins/corp", ADMIN),
				get("/api/openid-logins", ADMIN), get("/api/config", ADMIN))) {
			assertThat(answer.body()).doesNotContain(SECRET);
		}
		assertThat(object(created).keySet()).noneMatch((key) -> key.equals("client-secret"));
		Map<String, Object> row = this.jdbc
			.queryForMap("select definition, client_secret_encrypted from openid_login where name = 'corp'");
		assertThat((String) row.get("definition")).doesNotContain(SECRET).contains("issuer: " + issuer());
		assertThat((String) row.get("client_secret_encrypted")).isNotBlank().doesNotContain(SECRET);
		assertThat(Base64.getDecoder().decode((String) row.get("client_secret_encrypted")))
			.hasSizeGreaterThan(SECRET.length());
		assertThat(this.audit.recent(20)).anySatisfy((entry) -> {
			assertThat(entry.target()).isEqualTo("openid-login corp");
			assertThat(entry.action()).isEqualTo("added");
			assertThat(entry.after()).contains("client-secret: set").doesNotContain(SECRET);
		});
	}

	@Test
	void anIssuerWhoseDiscoveryDocumentNamesAnotherIsRefusedNamingTheIssuer() throws Exception {
		String lying = lyingIssuer("https://id.elsewhere.example");
		HttpResponse<String> refused = create("liar", lying, SECRET);
		assertRefused(refused, 400, "issuer: the discovery document at " + lying
				+ "/.well-known/openid-configuration names 'https://id.elsewhere.example' (expected: '" + lying + "'");
		assertThat(get("/api/openid-logins/liar", ADMIN).statusCode()).isEqualTo(404);
		assertRefused(get("/api/openid-logins/discovery?issuer=" + lying, ADMIN), 400, "issuer: the discovery");
	}

	@Test
	void theDiscoveryDocumentIsShownBeforeSaving() throws Exception {
		HttpResponse<String> answer = get("/api/openid-logins/discovery?issuer=" + issuer(), ADMIN);
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		Map<String, Object> metadata = object(answer);
		assertThat(metadata).containsEntry("issuer", issuer())
			.containsEntry("token-endpoint", issuer() + "/oauth2/token")
			.containsEntry("jwks-uri", issuer() + "/oauth2/jwks");
		assertThat(String.valueOf(metadata.get("signing-algorithms"))).contains("RS256");
		assertThat(String.valueOf(metadata.get("scopes"))).contains("openid");
	}

	@Test
	void aSecretLeftOutIsKeptAndANewOneReplacesIt() throws Exception {
		assertThat(create("corp", issuer(), SECRET).statusCode()).isEqualTo(201);
		String first = storedSecret("corp");
		HttpResponse<String> kept = send("PUT", "/api/openid-logins/corp", ADMIN,
				toJson(Map.of("scopes", List.of("openid", "email"), "parameters", Map.of("prompt", "login"))));
		assertThat(kept.statusCode()).as(kept.body()).isEqualTo(200);
		assertThat(object(kept)).containsEntry("scopes", List.of("openid", "email"))
			.containsEntry("parameters", Map.of("prompt", "login"));
		assertThat(storedSecret("corp")).isEqualTo(first);
		HttpResponse<String> replaced = send("PUT", "/api/openid-logins/corp", ADMIN,
				toJson(Map.of("client-secret", "another-secret")));
		assertThat(replaced.statusCode()).isEqualTo(200);
		assertThat(replaced.body()).doesNotContain("another-secret");
		assertThat(storedSecret("corp")).isNotEqualTo(first).doesNotContain("another-secret");
		assertThat(this.audit.recent(5))
			.anySatisfy((entry) -> assertThat(entry.after()).contains("client-secret: set (changed)")
				.doesNotContain("another-secret"));
	}

	@Test
	void refusalsNameTheField() throws Exception {
		assertRefused(
				send("POST", "/api/openid-logins", ADMIN,
						toJson(Map.of("name", "x", "issuer", issuer(), "client-id", "c", "scopes", List.of("email")))),
				400, "scopes: [email] (expected: openid among them");
		assertRefused(
				send("POST", "/api/openid-logins", ADMIN,
						toJson(Map.of("name", "x", "issuer", "http://id.example.com", "client-id", "c"))),
				400, "issuer: 'http://id.example.com' (expected: an https URL");
		assertRefused(
				send("POST", "/api/openid-logins", ADMIN,
						toJson(Map.of("name", "x", "issuer", issuer(), "client-id", "c", "parameters",
								Map.of("redirect_uri", "https://evil.example")))),
				400, "parameters.redirect_uri: set by Capuchin itself");
		assertThat(create("corp", issuer(), SECRET).statusCode()).isEqualTo(201);
		assertRefused(create("corp", issuer(), SECRET), 409, "name: a login 'corp' exists already");
	}

	@Test
	void aLocationGetsTheResolvedBlockAndALoginInUseCannotBeDeleted() throws Exception {
		assertThat(create("corp", issuer(), SECRET).statusCode()).isEqualTo(201);
		HttpResponse<String> applied = put(withTeam(exported(),
				"  locations:\n  - path: /team/\n    auth: {openid: {login: corp, require: {claims: {groups: [staff]}}}}\n"),
				false);
		assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
		Location team = this.server.sites()
			.sites()
			.stream()
			.filter((site) -> site.name().equals("team"))
			.findFirst()
			.orElseThrow()
			.locations()
			.get(0);
		Map<Object, Object> block = new java.util.LinkedHashMap<>(
				(Map<?, ?>) ((Map<?, ?>) team.setting("auth")).get("openid"));
		assertThat(block).containsEntry("login", "corp")
			.containsEntry("issuer", issuer())
			.containsEntry("client-id", "capuchin")
			.containsEntry("client-secret", SECRET)
			.containsEntry("user-claim", "sub")
			.containsEntry("require", Map.of("claims", Map.of("groups", List.of("staff"))));
		assertThat(Base64.getDecoder().decode((String) block.get("session-key"))).hasSize(32);
		assertThat(get("/api/config", ADMIN).body()).doesNotContain(SECRET).doesNotContain("session-key");
		assertThat(object(get("/api/openid-logins/corp", ADMIN))).containsEntry("used-by",
				List.of("site team locations[0] (path /team/)"));
		assertRefused(send("DELETE", "/api/openid-logins/corp", ADMIN, null), 409,
				"openid-login corp: in use by site team locations[0] (path /team/)");
	}

	@Test
	void aLocationNamingAnUnknownLoginIsRefusedNamingTheField() throws Exception {
		HttpResponse<String> refused = put(
				withTeam(exported(), "  locations:\n  - path: /team/\n    auth: {openid: {login: nowhere}}\n"), false);
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(yaml(refused)).contains("site team: locations[0].auth.openid.login: no OpenID login 'nowhere'");
	}

	@Test
	void aDocumentsPlainSecretIsStoredAndExportedEncryptedAndReimportingChangesNothing() throws Exception {
		HttpResponse<String> imported = put(exported() + "openid-logins:\n  - name: doc\n    issuer: " + issuer()
				+ "\n    client-id: capuchin\n    client-secret: " + SECRET
				+ "\n    scopes: [openid, email]\n    parameters: {acr_values: mfa}\n"
				+ "    claims: {groups: roles}\n    allowed-domains: [Example.COM]\n", false);
		assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
		assertThat(yaml(imported)).contains("openid-login=doc").doesNotContain(SECRET);
		String exported = exported();
		assertThat(exported)
			.contains("openid-logins:", "client-secret-encrypted: " + storedSecret("doc"),
					"allowed-domains:\n  - example.com", "groups: roles")
			.doesNotContain(SECRET)
			.doesNotContain("client-secret: ");
		HttpResponse<String> again = put(exported, true);
		assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
		assertThat(yaml(again)).doesNotContain("openid-login");
		HttpResponse<String> plainAgain = put(
				exported.replace("client-secret-encrypted: " + storedSecret("doc"), "client-secret: " + SECRET), true);
		assertThat(yaml(plainAgain)).doesNotContain("openid-login");
		HttpResponse<String> changed = put(
				exported.replace("client-secret-encrypted: " + storedSecret("doc"), "client-secret: other"), true);
		assertThat(yaml(changed)).contains("openid-login=doc", "client-secret: set (changed)")
			.doesNotContain("client-secret: other");
	}

	@Test
	@SuppressWarnings("unchecked")
	void theConsoleMappingAndTheBrokeringAreSetShownAuditedAndTurnedOffThroughTheApi() throws Exception {
		assertThat(create("corp", issuer(), SECRET).statusCode()).isEqualTo(201);
		HttpResponse<String> changed = send(
				"PUT", "/api/openid-logins/corp", ADMIN, toJson(
						Map.of("console",
								Map.of("roles", Map.of("admin", List.of("ops"), "viewer", List.of("staff")),
										"required-domains", List.of("Example.COM")),
								"broker", Map.of("realm", "Staff"))));
		assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
		assertThat((Map<String, Object>) object(changed).get("console")).containsEntry("claim", "groups")
			.containsEntry("roles", Map.of("admin", List.of("ops"), "operator", List.of(), "viewer", List.of("staff")))
			.containsEntry("required-domains", List.of("example.com"));
		assertThat((Map<String, Object>) object(changed).get("broker")).containsEntry("realm", "Staff")
			.containsEntry("link-claim", "email");
		assertThat(this.audit.recent(5)).anySatisfy((entry) -> {
			assertThat(entry.target()).isEqualTo("openid-login corp");
			assertThat(entry.after()).contains("console: {claim=groups, roles={admin=[ops], viewer=[staff]}");
		});
		HttpResponse<String> off = send("PUT", "/api/openid-logins/corp", ADMIN,
				toJson(Map.of("console", Map.of(), "broker", Map.of())));
		assertThat(off.statusCode()).as(off.body()).isEqualTo(200);
		assertThat(object(off).get("console")).isNull();
		assertThat(object(off).get("broker")).isNull();
	}

	@Test
	void aConsoleMappingOrBrokeringThatCannotBeIsRefusedNamingTheField() throws Exception {
		assertThat(create("corp", issuer(), SECRET).statusCode()).isEqualTo(201);
		assertRefused(
				send("PUT", "/api/openid-logins/corp", ADMIN,
						toJson(Map.of("console", Map.of("roles", Map.of("root", List.of("ops")))))),
				400, "console.roles.root: unknown role (expected: admin, operator, viewer)");
		assertRefused(
				send("PUT", "/api/openid-logins/corp", ADMIN,
						toJson(Map.of("console", Map.of("required-domains", List.of("example.com"))))),
				400, "console.required-domains: set while no claim value gives a console role");
		assertRefused(
				send("PUT", "/api/openid-logins/corp", ADMIN,
						toJson(Map.of("broker", Map.of("realm", "Staff", "link-claim", "name")))),
				400, "broker.link-claim: 'name' (expected: one of email, sub)");
	}

	@Test
	void aDocumentsConsoleAndBrokerKeysAreImportedExportedAndDiffed() throws Exception {
		HttpResponse<String> imported = put(exported() + "openid-logins:\n  - name: doc\n    issuer: " + issuer()
				+ "\n    client-id: capuchin\n    console: {claim: roles, roles: {operator: web}}\n"
				+ "    broker: {realm: Staff, link-claim: sub}\n", false);
		assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
		String exported = exported();
		assertThat(exported).contains("console:\n    claim: roles\n    roles:\n      operator:\n      - web",
				"broker:\n    realm: Staff\n    link-claim: sub");
		assertThat(yaml(put(exported, true))).doesNotContain("openid-login");
		HttpResponse<String> changed = put(exported.replace("      - web", "      - web\n      - ops"), true);
		assertThat(yaml(changed)).contains("openid-login=doc");
		HttpResponse<String> unknown = put(exported.replace("link-claim: sub", "link: sub"), true);
		assertThat(unknown.statusCode()).isEqualTo(400);
		assertThat(yaml(unknown)).contains("openid-logins[0].broker.link: unknown key (expected: realm, link-claim)");
	}

	@Test
	void aDocumentsSecretEncryptedWithAnotherKeyIsRefused() throws Exception {
		HttpResponse<String> refused = put(exported() + "openid-logins:\n  - name: doc\n    issuer: " + issuer()
				+ "\n    client-id: capuchin\n    client-secret-encrypted: AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\n",
				false);
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(yaml(refused))
			.contains("openid-logins[0].client-secret-encrypted: does not decrypt with this master key");
	}

	@Test
	@SuppressWarnings("unchecked")
	void healthShowsEachProviderUpOrDownWithTheReason() throws Exception {
		assertThat(create("corp", issuer(), SECRET).statusCode()).isEqualTo(201);
		// a provider that is down is imported: making it through the API discovers it
		// first
		String exported = exported();
		HttpResponse<String> imported = put(exported.replace("openid-logins:\n",
				"openid-logins:\n- name: gone\n  issuer: http://127.0.0.1:1\n  client-id: nobody\n"), false);
		assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
		HttpResponse<String> health = get("/actuator/health/openidLogins", ADMIN);
		assertThat(health.statusCode()).as(health.body()).isEqualTo(503);
		Map<String, Object> components = (Map<String, Object>) object(health).get("components");
		Map<String, Object> corp = (Map<String, Object>) components.get("corp");
		assertThat(corp).containsEntry("status", "UP");
		assertThat((Map<String, Object>) corp.get("details")).containsEntry("discovery", "reachable")
			.containsKey("keys");
		Map<String, Object> gone = (Map<String, Object>) components.get("gone");
		assertThat(gone).containsEntry("status", "DOWN");
		assertThat(String.valueOf(((Map<String, Object>) gone.get("details")).get("discovery")))
			.startsWith("issuer: http://127.0.0.1:1/.well-known/openid-configuration cannot be fetched");
	}

	/**
	 * A YAML answer of {@code /api/config} as its values read, whatever the line folding.
	 */
	private static String yaml(HttpResponse<String> answer) {
		return String.valueOf(dev.capuchin.app.transfer.ConfigDocument.yaml().<Object>load(answer.body()));
	}

	private HttpResponse<String> create(String name, String issuer, String secret) throws Exception {
		return send("POST", "/api/openid-logins", ADMIN,
				toJson(Map.of("name", name, "issuer", issuer, "client-id", "capuchin", "client-secret", secret)));
	}

	private String issuer() {
		return "http://127.0.0.1:" + this.controlPort;
	}

	private String storedSecret(String name) {
		return this.jdbc.queryForObject("select client_secret_encrypted from openid_login where name = ?", String.class,
				name);
	}

	/**
	 * A provider on loopback whose discovery document names another issuer.
	 */
	private String lyingIssuer(String named) throws Exception {
		this.liar = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.liar.createContext("/.well-known/openid-configuration", (exchange) -> {
			byte[] body = ("{\"issuer\":\"" + named + "\",\"authorization_endpoint\":\"" + named
					+ "/authorize\",\"token_endpoint\":\"" + named + "/token\",\"jwks_uri\":\"" + named + "/jwks\"}")
				.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		this.liar.start();
		return "http://127.0.0.1:" + this.liar.getAddress().getPort();
	}

	/**
	 * The exported document without its OAuth clients (left as they are on import): the
	 * store is shared with other tests, whose clients are theirs to import.
	 */
	private String exported() throws Exception {
		String text = get("/api/config", ADMIN).body();
		int clients = text.indexOf("\noauth-clients:");
		return (clients >= 0) ? text.substring(0, clients + 1) : text;
	}

	private HttpResponse<String> put(String document, boolean dryRun) throws Exception {
		return this.http
			.send(HttpRequest.newBuilder(URI.create(control("/api/config" + (dryRun ? "?dry-run=true" : ""))))
				.header("Authorization", ADMIN)
				.header("Content-Type", "application/yaml")
				.PUT(HttpRequest.BodyPublishers.ofString(document, StandardCharsets.UTF_8))
				.build(), HttpResponse.BodyHandlers.ofString());
	}

}
