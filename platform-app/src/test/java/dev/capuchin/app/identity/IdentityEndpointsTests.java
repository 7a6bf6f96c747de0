package dev.capuchin.app.identity;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import dev.capuchin.app.shared.api.ApiTestSupport;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The identity endpoints beside the console and the API on the control listener:
 * discovery, the JWK set from the stored keys, client credentials, and the keys encrypted
 * under a master key file made 0600.
 */
class IdentityEndpointsTests extends ApiTestSupport {

	@Autowired
	RegisteredClientRepository clients;

	@Autowired
	SigningKeys keys;

	@Autowired
	JdbcTemplate jdbc;

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void discoveryAnnouncesTheControlListenerAsIssuerWithSpringsDefaultPaths() throws Exception {
		HttpResponse<String> response = get("/.well-known/openid-configuration", null);
		assertThat(response.statusCode()).isEqualTo(200);
		Map<String, Object> metadata = object(response);
		String issuer = control("");
		assertThat(metadata).containsEntry("issuer", issuer)
			.containsEntry("token_endpoint", issuer + "/oauth2/token")
			.containsEntry("introspection_endpoint", issuer + "/oauth2/introspect")
			.containsEntry("revocation_endpoint", issuer + "/oauth2/revoke")
			.containsEntry("jwks_uri", issuer + "/oauth2/jwks")
			.containsKey("userinfo_endpoint")
			.containsKey("end_session_endpoint");
	}

	@Test
	void discoveryListsTheScopesTheClaimsUnderstandAndThoseClientsAreRegisteredWith() throws Exception {
		String clientId = "scoped-" + UUID.randomUUID();
		this.clients.save(RegisteredClient.withId(UUID.randomUUID().toString())
			.clientId(clientId)
			.clientSecret(this.encoder.encode(UUID.randomUUID().toString()))
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
			.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
			.scope("orders.write")
			.build());
		Map<String, Object> metadata = object(get("/.well-known/openid-configuration", null));
		assertThat(metadata.get("scopes_supported")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
			.startsWith("openid", "profile", "email", "groups")
			.contains("orders.write")
			.doesNotHaveDuplicates();
	}

	@Test
	void clientCredentialsGetsAJwtSignedByAKeyInTheJwkSet() throws Exception {
		String secret = client("svc-" + UUID.randomUUID());
		String clientId = this.lastClientId;
		HttpResponse<String> token = token(clientId, secret, "grant_type=client_credentials&scope=read");
		assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
		SignedJWT jwt = SignedJWT.parse((String) object(token).get("access_token"));
		JWKSet set = JWKSet.parse(get("/oauth2/jwks", null).body());
		RSAKey key = (RSAKey) set.getKeyByKeyId(jwt.getHeader().getKeyID());
		assertThat(key).isNotNull();
		assertThat(key.isPrivate()).isFalse();
		assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();
		assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo(control(""));
		assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo(clientId);
		assertThat(jwt.getJWTClaimsSet().getExpirationTime().toInstant()).isAfter(Instant.now());
	}

	@Test
	void aWrongClientSecretIsRefusedWith401() throws Exception {
		client("wrong-" + UUID.randomUUID());
		HttpResponse<String> token = token(this.lastClientId, "not-the-secret", "grant_type=client_credentials");
		assertThat(token.statusCode()).isEqualTo(401);
		assertThat(object(token)).containsEntry("error", "invalid_client");
	}

	@Test
	void theConsoleAndTheApiKeepTheirOwnSignIn() throws Exception {
		assertThat(get("/api/status", ADMIN).statusCode()).isEqualTo(200);
		assertThat(get("/api/status", null).statusCode()).isEqualTo(401);
		HttpResponse<String> console = get("/console/sites", null);
		assertThat(console.statusCode()).isEqualTo(302);
		assertThat(console.headers().firstValue("location"))
			.hasValueSatisfying((location) -> assertThat(location).endsWith("/console/login"));
	}

	@Test
	void aRotatedKeySignsWhileThePreviousOneStaysInTheJwkSet() throws Exception {
		String previous = this.keys.active().getKeyID();
		SigningKey rotated = this.keys.rotate();
		JWKSet set = JWKSet.parse(get("/oauth2/jwks", null).body());
		assertThat(set.getKeyByKeyId(rotated.kid())).isNotNull();
		assertThat(set.getKeyByKeyId(previous)).isNotNull();
		String secret = client("rotated-" + UUID.randomUUID());
		HttpResponse<String> token = token(this.lastClientId, secret, "grant_type=client_credentials");
		assertThat(SignedJWT.parse((String) object(token).get("access_token")).getHeader().getKeyID())
			.isEqualTo(rotated.kid());
		assertThat(this.keys.list()).anySatisfy((key) -> {
			assertThat(key.kid()).isEqualTo(previous);
			assertThat(key.state()).isEqualTo(SigningKey.State.RETIRING);
			assertThat(key.retireAt()).isAfter(Instant.now());
		});
	}

	@Test
	void signingKeysAreStoredEncryptedUnderAMasterKeyFileOnlyItsOwnerReads() throws Exception {
		this.keys.active();
		Path file = TEMP.resolve("master.key");
		assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
		assertThat(Base64.getDecoder().decode(Files.readString(file).trim())).hasSize(32);
		List<String> stored = this.jdbc.queryForList("select encrypted_jwk from identity_signing_key", String.class);
		// the stored text is Base64 of the IV and the cipher text: three letters such as
		// "kty" turn up in random Base64 now and then, so the bytes it decodes to are
		// what must not hold the JSON of the private key
		assertThat(stored).isNotEmpty()
			.allSatisfy(
					(value) -> assertThat(new String(Base64.getDecoder().decode(value), StandardCharsets.ISO_8859_1))
						.doesNotContain("\"d\":", "\"kty\":", "\"RSA\""));
	}

	private String lastClientId;

	/**
	 * A confidential client for client credentials, stored with a hashed secret.
	 * @return its secret
	 */
	private String client(String clientId) {
		String secret = UUID.randomUUID().toString();
		this.clients.save(RegisteredClient.withId(UUID.randomUUID().toString())
			.clientId(clientId)
			.clientSecret(this.encoder.encode(secret))
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
			.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
			.scope("read")
			.build());
		this.lastClientId = clientId;
		return secret;
	}

	private HttpResponse<String> token(String clientId, String secret, String form) throws Exception {
		String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
		return this.http.send(HttpRequest.newBuilder(URI.create(control("/oauth2/token")))
			.header("Authorization", "Basic " + basic)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
