package dev.capuchin.app.openidlogins;

import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.jwk.JWK;
import dev.capuchin.app.identity.MasterKey;
import dev.capuchin.plugin.auth.OpenIdClientKeys;
import dev.capuchin.plugin.auth.internal.OpenIdBlock;
import dev.capuchin.plugin.auth.internal.OpenIdClientAuth;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * A login's {@code client-auth} and private key as the rules make them and as the block
 * the data plane reads carries them.
 */
class OpenIdLoginClientAuthTests {

	private static final String MASTER = Base64.getEncoder().encodeToString(new byte[32]);

	private final OpenIdLoginKeys keys = new OpenIdLoginKeys(() -> MasterKey.load(MASTER, Path.of("unused")));

	private static OpenIdLoginRules.Spec spec(String secret, String clientAuth, String privateKey) {
		return new OpenIdLoginRules.Spec("corp", "https://id.example.com", "capuchin", secret, null, null, null, null,
				null, null, null, null, clientAuth, privateKey, null);
	}

	/** The block plugin-auth reads, with a location's own session key. */
	private OpenIdBlock dataPlane(OpenIdLogin login) {
		Map<String, Object> block = new LinkedHashMap<>(OpenIdLoginReferences.block(login, this.keys));
		return OpenIdBlock.parse("site shop: locations[0].auth.openid", block);
	}

	@Test
	void privateKeyJwtWithoutAKeyGetsOneThatReachesTheDataPlane() {
		OpenIdLogin login = OpenIdLoginRules.build(spec(null, "private-key-jwt", null), null, this.keys);
		assertThat(login.clientAuth()).isEqualTo(dev.capuchin.app.openidlogins.OpenIdClientAuth.PRIVATE_KEY_JWT);
		assertThat(login.hasSecret()).isFalse();
		assertThat(login.privateKeyEncrypted()).isNotBlank();
		JWK key = this.keys.privateKey(login.privateKeyEncrypted());
		assertThat(key.isPrivate()).isTrue();
		assertThat(login.privateKeyEncrypted()).doesNotContain(key.toRSAKey().getPrivateExponent().toString());
		Map<String, Object> block = OpenIdLoginReferences.block(login, this.keys);
		assertThat(block).containsEntry("client-auth", "private-key-jwt").doesNotContainKey("client-secret");
		OpenIdBlock read = dataPlane(login);
		assertThat(read.clientAuth()).isEqualTo(OpenIdClientAuth.PRIVATE_KEY_JWT);
		assertThat(read.clientKey()).isEqualTo(key);
	}

	@Test
	void clientSecretPostReachesTheDataPlaneAndBasicIsTheDefault() {
		OpenIdLogin post = OpenIdLoginRules.build(spec("s3cret", "client-secret-post", null), null, this.keys);
		assertThat(dataPlane(post).clientAuth()).isEqualTo(OpenIdClientAuth.CLIENT_SECRET_POST);
		OpenIdLogin basic = OpenIdLoginRules.build(spec("s3cret", null, null), null, this.keys);
		assertThat(basic.clientAuth()).isEqualTo(dev.capuchin.app.openidlogins.OpenIdClientAuth.CLIENT_SECRET_BASIC);
		assertThat(OpenIdLoginReferences.block(basic, this.keys)).doesNotContainKey("client-auth");
		assertThat(dataPlane(basic).clientAuth()).isEqualTo(OpenIdClientAuth.CLIENT_SECRET_BASIC);
	}

	@Test
	void theKeyALoginHasIsKeptUnlessAnotherIsGivenOrAskedFor() {
		JWK pasted = OpenIdClientKeys.generate();
		OpenIdLogin first = OpenIdLoginRules.build(spec(null, "private-key-jwt", pasted.toJSONString()), null,
				this.keys);
		OpenIdLogin same = OpenIdLoginRules.build(spec(null, "private-key-jwt", pasted.toJSONString()), first,
				this.keys);
		assertThat(same.privateKeyEncrypted()).as("the same key pasted again").isEqualTo(first.privateKeyEncrypted());
		OpenIdLogin kept = OpenIdLoginRules.build(spec(null, "private-key-jwt", null), first, this.keys);
		assertThat(kept.privateKeyEncrypted()).isEqualTo(first.privateKeyEncrypted());
		OpenIdLogin renewed = OpenIdLoginRules.build(spec(null, "private-key-jwt", "generate"), first, this.keys);
		assertThat(this.keys.privateKey(renewed.privateKeyEncrypted())).isNotEqualTo(pasted);
	}

	@Test
	void aKeyDocumentRoundTripsThroughTheStoreForm() {
		OpenIdLogin login = OpenIdLoginRules.build(spec(null, "private-key-jwt", null), null, this.keys);
		OpenIdLogin read = OpenIdLoginStore.read("corp", OpenIdLoginStore.write(login), null);
		assertThat(read).isEqualTo(login);
		assertThat(OpenIdLoginStore.write(login)).contains("client-auth: private-key-jwt")
			.contains("private-key-encrypted: ");
	}

	@Test
	void anUnknownClientAuthIsRefusedNamingTheField() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> OpenIdLoginRules.build(spec("s3cret", "client_secret_jwt", null), null, this.keys))
			.withMessage("client-auth: 'client_secret_jwt' (expected: one of client-secret-basic, "
					+ "client-secret-post, private-key-jwt)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> OpenIdLoginRules.build(spec(null, "client-secret-post", null), null, this.keys))
			.withMessageStartingWith("client-secret: missing");
	}

	@Test
	void theFormsChoicesAreTheKinds() {
		assertThat(dev.capuchin.app.openidlogins.OpenIdClientAuth.names()).containsExactly("client-secret-basic",
				"client-secret-post", "private-key-jwt");
		assertThat(List.of(OpenIdLoginForm.blank().clientAuth())).containsExactly("client-secret-basic");
	}

}
