package dev.capuchin.plugin.auth.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.capuchin.plugin.auth.OpenIdClientKeys;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The {@code client-auth} and {@code private-key} keys of an {@code openid} block, and
 * what each kind sends to the token endpoint.
 */
class OpenIdClientAuthTests {

	private static final String FIELD = "site shop: locations[0].auth.openid";

	private static final String TOKEN_ENDPOINT = "https://id.example.test/token";

	private static Map<String, Object> block(Object... more) {
		Map<String, Object> block = new LinkedHashMap<>();
		block.put("login", "corp");
		block.put("issuer", "http://127.0.0.1:9400");
		block.put("client-id", "capuchin");
		block.put("session-key", Base64.getEncoder().encodeToString(new byte[32]));
		for (int i = 0; i < more.length; i += 2) {
			block.put((String) more[i], more[i + 1]);
		}
		return block;
	}

	static KeyPair rsa(int bits) throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(bits);
		return generator.generateKeyPair();
	}

	static String pem(KeyPair pair) {
		return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
			.encodeToString(pair.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
	}

	@Test
	void aSecretIsSentInBasicByDefaultAndAPublicClientSendsItsIdOnly() {
		OpenIdBlock secret = OpenIdBlock.parse(FIELD, block("client-secret", "s3cret"));
		assertThat(secret.clientAuth()).isEqualTo(OpenIdClientAuth.CLIENT_SECRET_BASIC);
		TokenEndpointCredentials basic = TokenEndpointCredentials.of(secret, TOKEN_ENDPOINT, Instant.now());
		assertThat(basic.authorization()).isEqualTo(
				"Basic " + Base64.getEncoder().encodeToString("capuchin:s3cret".getBytes(StandardCharsets.US_ASCII)));
		assertThat(basic.form()).isEmpty();
		OpenIdBlock open = OpenIdBlock.parse(FIELD, block());
		assertThat(open.clientAuth()).isEqualTo(OpenIdClientAuth.NONE);
		TokenEndpointCredentials none = TokenEndpointCredentials.of(open, TOKEN_ENDPOINT, Instant.now());
		assertThat(none.authorization()).isNull();
		assertThat(none.form()).isEqualTo("&client_id=capuchin");
	}

	@Test
	void clientSecretPostSendsTheSecretInTheForm() {
		OpenIdBlock block = OpenIdBlock.parse(FIELD,
				block("client-secret", "s3 cret", "client-auth", "client-secret-post"));
		TokenEndpointCredentials post = TokenEndpointCredentials.of(block, TOKEN_ENDPOINT, Instant.now());
		assertThat(post.authorization()).isNull();
		assertThat(post.form()).isEqualTo("&client_id=capuchin&client_secret=s3+cret");
	}

	@Test
	void anUnknownClientAuthIsRefusedNamingTheFieldAndTheKinds() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> OpenIdBlock.parse(FIELD, block("client-secret", "s3cret", "client-auth", "tls")))
			.withMessage(FIELD + ".client-auth: 'tls' (expected: one of client-secret-basic, client-secret-post, "
					+ "private-key-jwt)");
	}

	@Test
	void privateKeyJwtSignsAnAssertionForTheTokenEndpointThatTheKeyVerifies() throws Exception {
		KeyPair pair = rsa(2048);
		OpenIdBlock block = OpenIdBlock.parse(FIELD, block("client-auth", "private-key-jwt", "private-key", pem(pair)));
		assertThat(block.clientAuth()).isEqualTo(OpenIdClientAuth.PRIVATE_KEY_JWT);
		Instant now = Instant.parse("2026-01-01T00:00:00Z");
		TokenEndpointCredentials credentials = TokenEndpointCredentials.of(block, TOKEN_ENDPOINT, now);
		assertThat(credentials.authorization()).isNull();
		Map<String, String> form = new LinkedHashMap<>();
		for (String pairText : credentials.form().substring(1).split("&")) {
			String[] parts = pairText.split("=", 2);
			form.put(parts[0], URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
		}
		assertThat(form).containsEntry("client_id", "capuchin")
			.containsEntry("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
		SignedJWT assertion = SignedJWT.parse(form.get("client_assertion"));
		assertThat(assertion.verify(new RSASSAVerifier((RSAPublicKey) pair.getPublic()))).isTrue();
		assertThat(assertion.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
		assertThat(assertion.getHeader().getKeyID()).isEqualTo(block.clientKey().getKeyID());
		assertThat(assertion.getJWTClaimsSet().getIssuer()).isEqualTo("capuchin");
		assertThat(assertion.getJWTClaimsSet().getSubject()).isEqualTo("capuchin");
		assertThat(assertion.getJWTClaimsSet().getAudience()).containsExactly(TOKEN_ENDPOINT);
		assertThat(assertion.getJWTClaimsSet().getExpirationTime().toInstant()).isEqualTo(now.plusSeconds(60));
		assertThat(assertion.getJWTClaimsSet().getJWTID()).isNotBlank();
		String again = TokenEndpointCredentials.assertion(block, TOKEN_ENDPOINT, now);
		assertThat(SignedJWT.parse(again).getJWTClaimsSet().getJWTID())
			.isNotEqualTo(assertion.getJWTClaimsSet().getJWTID());
	}

	@Test
	void aPrivateJwkIsReadAsWellAsPem() {
		JWK generated = OpenIdClientKeys.generate();
		OpenIdBlock block = OpenIdBlock.parse(FIELD,
				block("client-auth", "private-key-jwt", "private-key", generated.toJSONString()));
		assertThat(block.clientKey()).isEqualTo(generated);
		assertThat(block.toString()).doesNotContain(generated.toRSAKey().getPrivateExponent().toString());
	}

	@Test
	void thePublishedKeySetHoldsThePublicHalfOnly() throws Exception {
		JWK generated = OpenIdClientKeys.generate();
		JWKSet published = JWKSet.parse(OpenIdClientKeys.publicJwkSet(generated));
		assertThat(published.getKeys()).singleElement().satisfies((key) -> {
			assertThat(key.isPrivate()).isFalse();
			assertThat(key.getKeyID()).isEqualTo(generated.computeThumbprint().toString());
			assertThat(key.getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
		});
	}

	@Test
	void privateKeyJwtWithoutAKeyOrWithASecretIsRefused() throws Exception {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> OpenIdBlock.parse(FIELD, block("client-auth", "private-key-jwt")))
			.withMessageStartingWith(FIELD + ".private-key: missing");
		String pem = pem(rsa(2048));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> OpenIdBlock.parse(FIELD,
					block("client-auth", "private-key-jwt", "private-key", pem, "client-secret", "s3cret")))
			.withMessageStartingWith(FIELD + ".client-secret: set with client-auth: private-key-jwt");
		assertThatIllegalArgumentException().isThrownBy(() -> OpenIdBlock.parse(FIELD, block("private-key", pem)))
			.withMessageStartingWith(FIELD + ".private-key: set without client-auth: private-key-jwt");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> OpenIdBlock.parse(FIELD, block("client-auth", "client-secret-post")))
			.withMessageStartingWith(FIELD + ".client-secret: missing");
	}

	@Test
	void aKeyThatCannotBeReadOrIsTooWeakIsRefusedWithoutQuotingIt() throws Exception {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> OpenIdBlock.parse(FIELD,
					block("client-auth", "private-key-jwt", "private-key", "not-a-key-Zm9v")))
			.withMessageStartingWith(FIELD + ".private-key: not a key that can be read")
			.withMessageNotContaining("Zm9v");
		String weak = pem(rsa(1024));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> OpenIdBlock.parse(FIELD, block("client-auth", "private-key-jwt", "private-key", weak)))
			.withMessageStartingWith(FIELD + ".private-key: an RSA key of 1024 bits");
		String publicOnly = JWK.parse(OpenIdClientKeys.generate().toPublicJWK().toJSONString()).toJSONString();
		assertThatIllegalArgumentException()
			.isThrownBy(
					() -> OpenIdBlock.parse(FIELD, block("client-auth", "private-key-jwt", "private-key", publicOnly)))
			.withMessageStartingWith(FIELD + ".private-key: a public key only");
	}

	@Test
	void twoLocationsWithDifferentKeysAreNotTheSameLogin() {
		List<JWK> keys = List.of(OpenIdClientKeys.generate(), OpenIdClientKeys.generate());
		OpenIdBlock a = OpenIdBlock.parse(FIELD,
				block("client-auth", "private-key-jwt", "private-key", keys.get(0).toJSONString()));
		OpenIdBlock b = OpenIdBlock.parse(FIELD,
				block("client-auth", "private-key-jwt", "private-key", keys.get(1).toJSONString()));
		assertThat(new OpenIdLocation(a, null, null, "", java.util.Set.of(), null)
			.sameLogin(new OpenIdLocation(b, null, null, "", java.util.Set.of(), null))).isFalse();
		assertThat(new OpenIdLocation(a, null, null, "", java.util.Set.of(), null)
			.sameLogin(new OpenIdLocation(a, null, null, "", java.util.Set.of(), null))).isTrue();
	}

}
