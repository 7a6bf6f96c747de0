package dev.capuchin.plugin.auth.internal;

import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class OpenIdBlockTests {

	private static final String FIELD = "site shop: locations[0].auth.openid";

	private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

	private static Map<String, Object> block(Object... more) {
		Map<String, Object> block = new LinkedHashMap<>();
		block.put("login", "corp");
		block.put("issuer", "http://127.0.0.1:9400");
		block.put("client-id", "capuchin");
		block.put("session-key", KEY);
		for (int i = 0; i < more.length; i += 2) {
			if (more[i + 1] == null) {
				block.remove((String) more[i]);
			}
			else {
				block.put((String) more[i], more[i + 1]);
			}
		}
		return block;
	}

	@Test
	void theResolvedBlockOfTheControlPlaneIsRead() {
		OpenIdBlock block = OpenIdBlock.parse(FIELD,
				block("client-secret", "s3cret", "scopes", List.of("openid", "email", "profile"), "parameters",
						Map.of("prompt", "login"), "user-claim", "preferred_username", "session",
						Map.of("idle", "30m", "absolute", "12h"), "require",
						Map.of("claims", Map.of("groups", List.of("staff"), "email-domain", List.of("Example.test"))),
						"forward", Map.of("headers", true, "access-token", false)));
		assertThat(block.login()).isEqualTo("corp");
		assertThat(block.clientSecret()).isEqualTo("s3cret");
		assertThat(block.scopes()).containsExactly("openid", "email", "profile");
		assertThat(block.parameters()).containsExactly(Map.entry("prompt", "login"));
		assertThat(block.userClaim()).isEqualTo("preferred_username");
		assertThat(block.idle()).isEqualTo(Duration.ofMinutes(30));
		assertThat(block.absolute()).isEqualTo(Duration.ofHours(12));
		assertThat(block.rules().claims()).containsExactly(Map.entry("groups", Set.of("staff")));
		assertThat(block.rules().emailDomains()).containsExactly("example.test");
		assertThat(block.forwardHeaders()).isTrue();
		assertThat(block.forwardAccessToken()).isFalse();
	}

	@Test
	void defaultsAreSubScopesOfAProfileAndAnyUser() {
		OpenIdBlock block = OpenIdBlock.parse(FIELD, block());
		assertThat(block.clientSecret()).isNull();
		assertThat(block.scopes()).containsExactly("openid", "email", "profile");
		assertThat(block.userClaim()).isEqualTo("sub");
		assertThat(block.idle()).isEqualTo(OpenIdBlock.DEFAULT_IDLE);
		assertThat(block.absolute()).isEqualTo(OpenIdBlock.DEFAULT_ABSOLUTE);
		assertThat(block.rules()).isEqualTo(ClaimRules.NONE);
	}

	@Test
	void openidIsAlwaysAskedFor() {
		assertThat(OpenIdBlock.parse(FIELD, block("scopes", "email")).scopes()).containsExactly("openid", "email");
	}

	@Test
	void unknownKeysAreRefusedWithTheirName() {
		assertThatIllegalArgumentException().isThrownBy(() -> OpenIdBlock.parse(FIELD, block("scope", "email")))
			.withMessageStartingWith(
					FIELD + ": unknown key 'scope' (expected: one of bearer, client-auth, client-id, client-secret");
	}

	@Test
	void aMissingSessionKeyIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> OpenIdBlock.parse(FIELD, block("session-key", null)))
			.withMessage(FIELD + ".session-key: missing (expected: 32 random bytes in base64, the same on every node)");
	}

	@Test
	void aShortSessionKeyIsRefusedWithoutEchoingIt() {
		String key = Base64.getEncoder().encodeToString(new byte[16]);
		assertThatIllegalArgumentException().isThrownBy(() -> OpenIdBlock.parse(FIELD, block("session-key", key)))
			.withMessage(FIELD + ".session-key: 16 bytes (expected: 32 random bytes in base64)")
			.withMessageNotContaining(key);
	}

	@Test
	void aLoginThatCannotNameACookieIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> OpenIdBlock.parse(FIELD, block("login", "corp; x")))
			.withMessageStartingWith(FIELD + ".login: ");
	}

	@Test
	void parametersTheModeSetsItselfAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(
				() -> OpenIdBlock.parse(FIELD, block("parameters", Map.of("redirect_uri", "https://evil.example/"))))
			.withMessageStartingWith(FIELD + ".parameters.redirect_uri: set by the openid mode itself");
	}

	@Test
	void anIdleLongerThanTheAbsoluteLifetimeIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> OpenIdBlock.parse(FIELD, block("session", Map.of("idle", "2h", "absolute", "1h"))))
			.withMessageStartingWith(FIELD + ".session.idle: PT2H (expected: at most absolute");
	}

	@Test
	void anIssuerWithAQueryIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> OpenIdBlock.parse(FIELD, block("issuer", "https://id.example.com/?x=1")))
			.withMessageStartingWith(FIELD + ".issuer: ");
	}

	@Test
	void theSecretsNeverShowInTheBlocksText() {
		assertThat(OpenIdBlock.parse(FIELD, block("client-secret", "s3cret")).toString()).doesNotContain("s3cret")
			.doesNotContain(KEY);
	}

	@Test
	void bearerTrueTakesTheProvidersTokensForTheClientId() {
		assertThat(OpenIdBlock.parse(FIELD, block()).bearer()).isNull();
		assertThat(OpenIdBlock.parse(FIELD, block("bearer", false)).bearer()).isNull();
		BearerBlock bearer = OpenIdBlock.parse(FIELD, block("bearer", true, "user-claim", "email")).bearer();
		assertThat(bearer.issuer()).isEqualTo("http://127.0.0.1:9400");
		assertThat(bearer.audience()).isEqualTo("capuchin");
		assertThat(bearer.scopes()).isEmpty();
		assertThat(bearer.userClaim()).isEqualTo("email");
	}

	@Test
	void aBearerBlockNamesAnotherAudienceAndScopes() {
		BearerBlock bearer = OpenIdBlock
			.parse(FIELD, block("bearer", Map.of("audience", "https://api.example", "scopes", List.of("read"))))
			.bearer();
		assertThat(bearer.audience()).isEqualTo("https://api.example");
		assertThat(bearer.scopes()).containsExactly("read");
	}

	@Test
	void aBadBearerValueIsRefusedNamingTheField() {
		assertThatIllegalArgumentException().isThrownBy(() -> OpenIdBlock.parse(FIELD, block("bearer", "yes")))
			.withMessageStartingWith(FIELD + ".bearer: ");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> OpenIdBlock.parse(FIELD, block("bearer", Map.of("issuer", "http://other"))))
			.withMessageStartingWith(FIELD + ".bearer: unknown key 'issuer'");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> OpenIdBlock.parse(FIELD, block("bearer", Map.of("scopes", List.of("a b")))))
			.withMessageStartingWith(FIELD + ".bearer.scopes: ");
	}

}
