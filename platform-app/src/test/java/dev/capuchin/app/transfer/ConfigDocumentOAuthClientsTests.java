package dev.capuchin.app.transfer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import dev.capuchin.app.audit.AuditLog;
import dev.capuchin.app.identity.OAuthClients;
import dev.capuchin.app.realms.Realm;
import dev.capuchin.app.shared.api.ApiTestSupport;
import dev.capuchin.app.shared.config.ConfigService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code oauth-clients:} list of the configuration document over {@code /api/config}:
 * exported with bcrypt hashes, imported in the document's transaction (made, changed,
 * removed with their grants), refused naming the field, and shown in the difference.
 */
class ConfigDocumentOAuthClientsTests extends ApiTestSupport {

	@Autowired
	OAuthClients clients;

	@Autowired
	ConfigService config;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	AuditLog audit;

	private final HttpClient http = HttpClient.newHttpClient();

	@DynamicPropertySource
	static void ownDatabase(DynamicPropertyRegistry registry) {
		// the document replaces every client: a store of its own
		registry.add("spring.datasource.url", () -> "jdbc:h2:mem:oauth-document-tests;DB_CLOSE_DELAY=-1");
	}

	@BeforeEach
	void staffRealmAndNoClients() {
		if (this.config.current().realm("Staff").isEmpty()) {
			this.config.changeRealms((realms) -> {
				List<Realm> more = new java.util.ArrayList<>(realms);
				more.add(new Realm("Staff", "staff", List.of(), null));
				return more;
			}, "test");
		}
		this.clients.list().forEach((client) -> this.clients.delete(client.clientId(), "test"));
	}

	@Test
	void theExportListsEveryClientWithItsSecretAsABcryptHashNeverPlain() throws Exception {
		String secret = service("svc").secret();
		String exported = export();
		assertThat(exported)
			.contains("oauth-clients:", "client-id: svc", "type: confidential", "realm: Staff", "grant-types:",
					"- client_credentials", "- read", "token-format: jwt", "access-token-lifetime: 5m",
					"refresh-token-lifetime: 1h", "consent: true", "enabled: true", "client-secret-hash: $2a$")
			.doesNotContain(secret)
			.doesNotContain("{bcrypt}")
			.doesNotContain("client-secret:");
	}

	@Test
	void anExportImportedUnchangedChangesNothing() throws Exception {
		service("svc");
		this.clients.create(new OAuthClients.Spec("spa", "Single page", "public", "Staff",
				List.of("authorization_code", "refresh_token"), List.of("openid", "profile"),
				List.of("http://127.0.0.1:9999/callback"), List.of("http://127.0.0.1:9999/"), "opaque",
				Duration.ofMinutes(2), Duration.ofDays(1), false, true, null), "test");
		long version = this.config.current().version();
		HttpResponse<String> answer = put(export(), false);
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		assertThat(answer.body()).contains("applied: false", "changes: []");
		assertThat(this.config.current().version()).isEqualTo(version);
	}

	@Test
	void anImportMakesChangesAndRemovesClientsRevokingTheRemovedOnesGrants() throws Exception {
		String keptSecret = service("kept").secret();
		String goneSecret = service("gone").secret();
		assertThat(token("gone", goneSecret).statusCode()).isEqualTo(200);
		String goneId = this.jdbc.queryForObject("select id from oauth2_registered_client where client_id = 'gone'",
				String.class);
		assertThat(grants(goneId)).isEqualTo(1);
		String newSecret = "the-imported-secret";
		String document = withClients(export(), """
				oauth-clients:
				  - client-id: kept
				    type: confidential
				    realm: Staff
				    grant-types: [client_credentials]
				    scopes: [read, write]
				    client-secret-hash: '%s'
				  - client-id: made
				    name: Made by import
				    type: confidential
				    realm: Staff
				    grant-types: [client_credentials]
				    scopes: [read]
				    client-secret-hash: '%s'
				""".formatted(hashOf("kept"), bcrypt(newSecret)));
		HttpResponse<String> answer = put(document, false);
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		assertThat(answer.body()).contains("applied: true", "oauth-client: made", "change: added", "oauth-client: kept",
				"change: changed", "oauth-client: gone", "change: removed");
		assertThat(this.clients.find("kept"))
			.hasValueSatisfying((client) -> assertThat(client.scopes()).containsExactly("read", "write"));
		assertThat(this.clients.find("gone")).isEmpty();
		assertThat(grants(goneId)).isZero();
		assertThat(token("made", newSecret).statusCode()).isEqualTo(200);
		assertThat(token("kept", keptSecret).statusCode()).isEqualTo(200);
		assertThat(token("gone", goneSecret).statusCode()).isEqualTo(401);
		assertThat(this.audit.recent(50)).anySatisfy((entry) -> {
			assertThat(entry.action()).isEqualTo("added");
			assertThat(entry.target()).isEqualTo("oauth-client made");
			assertThat(entry.after()).contains("name: Made by import").doesNotContain("$2a$");
		}).anySatisfy((entry) -> {
			assertThat(entry.action()).isEqualTo("changed");
			assertThat(entry.target()).isEqualTo("oauth-client kept");
		}).anySatisfy((entry) -> {
			assertThat(entry.action()).isEqualTo("removed");
			assertThat(entry.target()).isEqualTo("oauth-client gone");
		}).anySatisfy((entry) -> {
			assertThat(entry.action()).isEqualTo("revoked");
			assertThat(entry.target()).isEqualTo("oauth-client gone");
		});
	}

	@Test
	void aDryRunShowsTheClientChangesWithoutHashesAndStoresNothing() throws Exception {
		service("svc");
		// whole "read" items only: a realm user's group "readers", left by another test
		// of
		// the shared context, must stay as exported
		String document = export().replace("  - read\n", "  - read\n  - write\n");
		HttpResponse<String> answer = put(document, true);
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		assertThat(answer.body()).contains("applied: false", "oauth-client: svc", "change: changed", "write")
			.doesNotContain("$2a$");
		assertThat(this.clients.find("svc"))
			.hasValueSatisfying((client) -> assertThat(client.scopes()).containsExactly("read"));
	}

	@Test
	void anUnchangedHashKeepsThePreviousSecretsGraceAndANewHashEndsIt() throws Exception {
		String first = service("svc").secret();
		String second = this.clients.rotateSecret("svc", Duration.ofHours(1), "test").orElseThrow().secret();
		assertThat(put(export().replace("  name: svc\n", "  name: Renamed\n"), false).statusCode()).isEqualTo(200);
		assertThat(this.clients.find("svc"))
			.hasValueSatisfying((client) -> assertThat(client.name()).isEqualTo("Renamed"));
		assertThat(token("svc", first).statusCode()).isEqualTo(200);
		String document = export().replace(hashOf("svc").substring("{bcrypt}".length()), bcrypt("third"));
		assertThat(put(document, false).statusCode()).isEqualTo(200);
		assertThat(token("svc", first).statusCode()).isEqualTo(401);
		assertThat(token("svc", second).statusCode()).isEqualTo(401);
		assertThat(token("svc", "third").statusCode()).isEqualTo(200);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '"',
			textBlock = """
					client-secret: plain                       | oauth-clients[1].client-secret: a plain secret is not accepted
					client-secret-hash: '{SHA}9SMYoF5RilWWASry7TjeaKwmpGg=' | oauth-clients[1].client-secret-hash: not a bcrypt hash
					client-secret-hash: '$2a$10$short'         | oauth-clients[1].client-secret-hash: not a bcrypt hash
					realm: Nowhere                             | oauth-clients[1].realm: no realm 'Nowhere'
					grant-types: [password]                    | oauth-clients[1].grant-types: 'password'
					redirect-uris: [/relative]                 | oauth-clients[1].redirect-uris: '/relative' (expected: an absolute URI
					token-format: paper                        | oauth-clients[1].token-format: 'paper' (expected: jwt or opaque)
					access-token-lifetime: 1s                  | oauth-clients[1].access-token-lifetime: PT1S (expected: 1m
					colour: blue                               | oauth-clients[1].colour: unknown key
					""")
	void aRefusedFieldIsNamedAndNothingIsStored(String line, String message) throws Exception {
		service("first");
		String key = line.substring(0, line.indexOf(':'));
		String second = """
				- client-id: second
				  type: confidential
				  realm: Staff
				  grant-types: [client_credentials]
				  client-secret-hash: '%s'
				""".formatted(bcrypt("second-secret"));
		second = second.lines()
			.filter((each) -> !each.strip().startsWith(key + ":") && !each.strip().startsWith("- " + key + ":"))
			.reduce("", (a, b) -> a + b + "\n") + "  " + line + "\n";
		long version = this.config.current().version();
		HttpResponse<String> answer = put(export() + second, false);
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
		assertThat(yamlError(answer)).startsWith(message);
		assertThat(answer.body()).doesNotContain("Exception");
		assertThat(this.config.current().version()).isEqualTo(version);
		assertThat(this.clients.find("second")).isEmpty();
	}

	@Test
	void aRealmAClientBelongsToCannotBeRemovedByADocumentThatKeepsTheClient() throws Exception {
		service("svc");
		String document = export();
		String withoutStaff = document.replaceAll("(?s)realms:\\n.*?(?=\\n[a-z])", "realms: []");
		HttpResponse<String> answer = put(withoutStaff, false);
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
		assertThat(yamlError(answer)).isEqualTo("oauth-clients[0].realm: no realm 'Staff'");
		String noClientsKey = withoutStaff.substring(0, withoutStaff.indexOf("oauth-clients:"));
		answer = put(noClientsKey, false);
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
		assertThat(yamlError(answer)).startsWith("realms: 'Staff' is the realm of OAuth client 'svc'");
	}

	private OAuthClients.Created service(String clientId) {
		return this.clients.create(new OAuthClients.Spec(clientId, null, "confidential", "Staff",
				List.of("client_credentials"), List.of("read"), List.of(), null, null, null, null, null, null, null),
				"test");
	}

	private String hashOf(String clientId) {
		return this.jdbc.queryForObject("select client_secret from oauth2_registered_client where client_id = ?",
				String.class, clientId);
	}

	private String bcrypt(String secret) {
		return this.encoder.encode(secret).substring("{bcrypt}".length());
	}

	private int grants(String registeredClientId) {
		return this.jdbc.queryForObject("select count(*) from oauth2_authorization where registered_client_id = ?",
				Integer.class, registeredClientId);
	}

	private static String yamlError(HttpResponse<String> answer) {
		Map<String, Object> body = ConfigDocument.yaml().load(answer.body());
		return String.valueOf(body.get("error"));
	}

	private String export() throws Exception {
		HttpResponse<String> answer = get("/api/config", ADMIN);
		assertThat(answer.statusCode()).isEqualTo(200);
		return answer.body();
	}

	private static String withClients(String document, String clients) {
		return document.substring(0, document.indexOf("oauth-clients:")) + clients;
	}

	private HttpResponse<String> put(String document, boolean dryRun) throws Exception {
		return this.http
			.send(HttpRequest.newBuilder(URI.create(control("/api/config" + (dryRun ? "?dry-run=true" : ""))))
				.header("Authorization", ADMIN)
				.header("Content-Type", "application/yaml")
				.PUT(HttpRequest.BodyPublishers.ofString(document, StandardCharsets.UTF_8))
				.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> token(String clientId, String secret) throws Exception {
		String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
		return this.http.send(HttpRequest.newBuilder(URI.create(control("/oauth2/token")))
			.header("Authorization", "Basic " + basic)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
