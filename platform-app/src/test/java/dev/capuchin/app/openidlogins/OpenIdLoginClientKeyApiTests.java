package dev.capuchin.app.openidlogins;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import dev.capuchin.app.audit.AuditLog;
import dev.capuchin.plugin.auth.OpenIdClientKeys;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code client-auth} and the private key of {@code private-key-jwt} through
 * {@code /api/openid-logins} and the configuration document, over real HTTP: a key
 * generated or pasted, stored encrypted, its public half served at
 * {@code /api/openid-logins/<name>/jwks} and never its private half anywhere. The
 * provider is Capuchin's own authorization server in the same application.
 */
class OpenIdLoginClientKeyApiTests extends OpenIdLoginTestSupport {

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	AuditLog audit;

	@Autowired
	OpenIdLogins logins;

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void aPrivateKeyJwtLoginGetsAGeneratedKeyWhosePublicHalfAloneIsServed() throws Exception {
		HttpResponse<String> created = create(Map.of("client-auth", "private-key-jwt"));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		assertThat(object(created)).containsEntry("client-auth", "private-key-jwt")
			.containsEntry("has-private-key", true)
			.containsEntry("has-client-secret", false);
		HttpResponse<String> jwks = get("/api/openid-logins/corp/jwks", ADMIN);
		assertThat(jwks.statusCode()).as(jwks.body()).isEqualTo(200);
		JWK published = JWKSet.parse(jwks.body()).getKeys().get(0);
		assertThat(published.isPrivate()).isFalse();
		assertThat(published).isInstanceOf(RSAKey.class);
		assertThat(((RSAKey) published).size()).isEqualTo(OpenIdClientKeys.RSA_BITS);
		JWK key = this.logins.clientKey("corp");
		assertThat(published.getKeyID()).isEqualTo(key.computeThumbprint().toString());
		String privateExponent = key.toRSAKey().getPrivateExponent().toString();
		String definition = this.jdbc.queryForObject("select definition from openid_login where name = 'corp'",
				String.class);
		assertThat(definition).contains("private-key-encrypted").doesNotContain(privateExponent);
		for (HttpResponse<String> answer : List.of(created, jwks, get("/api/openid-logins", ADMIN),
				get("/api/config", ADMIN))) {
			assertThat(answer.body()).doesNotContain(privateExponent);
		}
		assertThat(this.audit.recent(5)).anySatisfy((entry) -> {
			assertThat(entry.target()).isEqualTo("openid-login corp");
			assertThat(entry.after()).contains("client-auth: private-key-jwt", "private-key: set")
				.doesNotContain(privateExponent);
		});
	}

	@Test
	void aPastedKeyIsTheOneUsedAndPublished() throws Exception {
		JWK pasted = OpenIdClientKeys.generate();
		HttpResponse<String> created = create(
				Map.of("client-auth", "private-key-jwt", "private-key", pasted.toJSONString()));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		assertThat(this.logins.clientKey("corp")).isEqualTo(pasted);
		assertThat(JWKSet.parse(get("/api/openid-logins/corp/jwks", ADMIN).body()).getKeys())
			.containsExactly(pasted.toPublicJWK());
		HttpResponse<String> replaced = send("PUT", "/api/openid-logins/corp", ADMIN,
				toJson(Map.of("private-key", "generate")));
		assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
		assertThat(this.logins.clientKey("corp")).isNotEqualTo(pasted);
	}

	@Test
	void anUnknownClientAuthIsRefusedNamingTheField() throws Exception {
		assertRefused(create(Map.of("client-auth", "tls-client-auth", "client-secret", "s3cret")), 400,
				"client-auth: 'tls-client-auth' (expected: one of client-secret-basic, client-secret-post, "
						+ "private-key-jwt)");
		// a login, so that the document lists them as a block
		assertThat(create(Map.of("client-secret", "s3cret")).statusCode()).isEqualTo(201);
		HttpResponse<String> imported = put(
				exported().replace("openid-logins:\n", "openid-logins:\n- name: odd\n  issuer: " + issuer()
						+ "\n  client-id: capuchin\n" + "  client-secret: s3cret\n  client-auth: magic\n"));
		assertThat(imported.statusCode()).as(imported.body()).isEqualTo(400);
		// the answer is YAML: its quotes are doubled inside the quoted message
		assertThat(imported.body()).contains("openid-logins[0].client-auth: ''magic'' (expected: one of "
				+ "client-secret-basic, client-secret-post, private-key-jwt)");
	}

	@Test
	void aSecretBesidePrivateKeyJwtOrAKeyBesideASecretIsRefused() throws Exception {
		assertRefused(create(Map.of("client-auth", "private-key-jwt", "client-secret", "s3cret")), 400,
				"client-secret: set while client-auth is private-key-jwt");
		assertRefused(create(Map.of("client-secret", "s3cret", "private-key", "generate")), 400,
				"private-key: set while client-auth is client-secret-basic");
		assertRefused(create(Map.of("client-auth", "private-key-jwt", "private-key", "-----BEGIN nothing")), 400,
				"private-key: not a key that can be read");
	}

	@Test
	void aLoginWithoutAKeyHasNoKeySet() throws Exception {
		assertThat(create(Map.of("client-secret", "s3cret", "client-auth", "client-secret-post")).statusCode())
			.isEqualTo(201);
		assertThat(object(get("/api/openid-logins/corp", ADMIN))).containsEntry("client-auth", "client-secret-post")
			.containsEntry("has-private-key", false);
		assertRefused(get("/api/openid-logins/corp/jwks", ADMIN), 404, "key of openid login 'corp'");
	}

	@Test
	void theKeyTravelsEncryptedThroughExportAndImportUnchanged() throws Exception {
		assertThat(create(Map.of("client-auth", "private-key-jwt")).statusCode()).isEqualTo(201);
		String jwks = get("/api/openid-logins/corp/jwks", ADMIN).body();
		String exported = exported();
		assertThat(exported).contains("client-auth: private-key-jwt").contains("private-key-encrypted: ");
		this.config.changeOpenIdLogins((logins) -> List.of(), "test");
		HttpResponse<String> imported = put(exported);
		assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
		assertThat(get("/api/openid-logins/corp/jwks", ADMIN).body()).isEqualTo(jwks);
	}

	@Test
	void turningToAnotherClientAuthDropsTheKey() throws Exception {
		assertThat(create(Map.of("client-auth", "private-key-jwt")).statusCode()).isEqualTo(201);
		HttpResponse<String> changed = send("PUT", "/api/openid-logins/corp", ADMIN,
				toJson(Map.of("client-auth", "client-secret-basic", "client-secret", "s3cret")));
		assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
		assertThat(object(changed)).containsEntry("has-private-key", false).containsEntry("has-client-secret", true);
		HttpResponse<String> back = send("PUT", "/api/openid-logins/corp", ADMIN,
				toJson(Map.of("client-auth", "private-key-jwt")));
		assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
		assertThat(object(back)).containsEntry("has-private-key", true).containsEntry("has-client-secret", false);
	}

	private HttpResponse<String> create(Map<String, Object> more) throws Exception {
		Map<String, Object> body = new java.util.LinkedHashMap<>(
				Map.of("name", "corp", "issuer", issuer(), "client-id", "capuchin-jwt"));
		body.putAll(more);
		return send("POST", "/api/openid-logins", ADMIN, toJson(body));
	}

	private String issuer() {
		return "http://127.0.0.1:" + this.controlPort;
	}

	/**
	 * The exported document without its OAuth clients (left as they are on import).
	 */
	private String exported() throws Exception {
		String text = get("/api/config", ADMIN).body();
		int clients = text.indexOf("\noauth-clients:");
		return (clients >= 0) ? text.substring(0, clients + 1) : text;
	}

	private HttpResponse<String> put(String document) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(control("/api/config")))
			.header("Authorization", ADMIN)
			.header("Content-Type", "application/yaml")
			.PUT(HttpRequest.BodyPublishers.ofString(document, StandardCharsets.UTF_8))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
