package dev.capuchin.plugin.auth.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.capuchin.plugin.auth.AuthMode;
import dev.capuchin.plugin.auth.AuthSettings;
import dev.capuchin.plugin.auth.BasicAuthMode;
import dev.capuchin.plugin.auth.BearerAuthMode;
import dev.capuchin.plugin.auth.BearerSettings;
import dev.capuchin.plugin.auth.LocationAuth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BearerBlockTests {

	private static final String FIELD = "site shop: locations[1].auth";

	private static final String ISSUER = "http://127.0.0.1:2020";

	private final BearerAuthMode bearer = new BearerAuthMode(BearerSettings.defaults()
		.withIssuerClients(List.of(new BearerSettings.IssuerClient("https://id.example.com", "api", "issuer-secret"))));

	private final AuthBlocks blocks = new AuthBlocks(Map.<String, AuthMode>of("basic",
			new BasicAuthMode(AuthSettings.defaults(), Schedulers.immediate()), "bearer", this.bearer));

	@Test
	void aBearerKeyChoosesTheBearerModeWithTheContractsBlock() {
		LocationAuth auth = this.blocks.compile(FIELD,
				Map.of("bearer", Map.of("issuer", ISSUER, "scopes", List.of("read"))));
		assertThat(auth.mode()).isSameAs(this.bearer);
		BearerLocation location = auth.modeSettings(BearerLocation.class);
		assertThat(location.issuer().id()).isEqualTo(ISSUER);
		assertThat(location.scopes()).containsExactly("read");
		assertThat(location.audience()).isNull();
		assertThat(location.userClaim()).isEqualTo("sub");
		assertThat(location.claims()).isEmpty();
		assertThat(location.client()).isNull();
		assertThat(location.challenge()).isEqualTo("Bearer realm=\"Restricted\"");
		assertThat(location.insufficientScope())
			.isEqualTo("Bearer realm=\"Restricted\", error=\"insufficient_scope\", scope=\"read\"");
	}

	@Test
	void everyKeyIsRead() {
		LocationAuth auth = this.blocks.compile(FIELD,
				block("mode", "bearer", "realm", "API", "require", List.of("svc"), "bearer",
						block("issuer", ISSUER, "audience", "api", "scopes", List.of("read", "write"), "user-claim",
								"client_id", "claims", List.of("email", "groups"), "introspection",
								block("client-id", "rs", "client-secret", "rs-secret"))));
		BearerLocation location = auth.modeSettings(BearerLocation.class);
		assertThat(location.audience()).isEqualTo("api");
		assertThat(location.scopes()).containsExactlyInAnyOrder("read", "write");
		assertThat(location.userClaim()).isEqualTo("client_id");
		assertThat(location.claims()).containsExactly("email", "groups");
		assertThat(location.client().clientId()).isEqualTo("rs");
		assertThat(location.client().toString()).doesNotContain("rs-secret");
		assertThat(location.invalidToken()).isEqualTo("Bearer realm=\"API\", error=\"invalid_token\"");
		assertThat(auth.require().permits("svc")).isTrue();
	}

	@Test
	void locationsOfOneIssuerShareItsKeysAndMetadata() {
		BearerLocation one = compile(Map.of("issuer", ISSUER));
		BearerLocation two = compile(Map.of("issuer", ISSUER, "scopes", List.of("admin")));
		assertThat(one.issuer()).isSameAs(two.issuer());
	}

	@Test
	void theIssuersClientIsUsedWhenTheLocationNamesNone() {
		BearerLocation location = compile(Map.of("issuer", "https://id.example.com"));
		assertThat(location.client().clientId()).isEqualTo("api");
	}

	@Test
	void aMissingIssuerIsRefusedNamingIt() {
		assertThatIllegalArgumentException().isThrownBy(() -> compile(Map.of("scopes", List.of("read"))))
			.withMessage(
					FIELD + ".bearer.issuer: missing (expected: the issuer's URL, such as https://id.example.com)");
	}

	@ParameterizedTest
	@ValueSource(strings = { "id.example.com", "ftp://id.example.com", "https://id.example.com/?a=b",
			"https://id.example.com/#x", "https:///path" })
	void anIssuerThatIsNotAnHttpUrlIsRefused(String issuer) {
		assertThatIllegalArgumentException().isThrownBy(() -> compile(Map.of("issuer", issuer)))
			.withMessage(FIELD + ".bearer.issuer: '" + issuer
					+ "' (expected: an http or https URL without query or fragment)");
	}

	@Test
	void anUnknownKeyInTheBearerBlockIsRefusedNamingIt() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> compile(Map.of("issuer", ISSUER, "scope", List.of("read"))))
			.withMessage(FIELD + ".bearer: unknown key 'scope' "
					+ "(expected: one of audience, claims, introspection, issuer, scopes, user-claim)");
	}

	@Test
	void aScopeWithASpaceIsRefusedNamingIt() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> compile(Map.of("issuer", ISSUER, "scopes", List.of("read write"))))
			.withMessageStartingWith(FIELD + ".bearer.scopes: 'read write' (expected: scope tokens");
	}

	@Test
	void oneScopeWrittenWithoutAListIsAListOfOne() {
		assertThat(compile(Map.of("issuer", ISSUER, "scopes", "read")).scopes()).containsExactly("read");
	}

	@Test
	void scopesThatAreABlockAreRefusedNamingTheField() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> compile(Map.of("issuer", ISSUER, "scopes", Map.of("read", true))))
			.withMessage(FIELD + ".bearer.scopes: {read=true} (expected: a text)");
	}

	@Test
	void aClaimWithALineBreakIsRefusedNamingItsIndex() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> compile(Map.of("issuer", ISSUER, "claims", List.of("email", "x\ny"))))
			.withMessage(FIELD + ".bearer.claims[1]: contains a character outside printable ASCII");
	}

	@Test
	void moreScopesThanTheLimitAreRefused() {
		List<String> scopes = java.util.stream.IntStream.rangeClosed(0, BearerBlock.MAX_SCOPES)
			.mapToObj((i) -> "s" + i)
			.toList();
		assertThatIllegalArgumentException().isThrownBy(() -> compile(Map.of("issuer", ISSUER, "scopes", scopes)))
			.withMessage(FIELD + ".bearer.scopes: 33 entries (expected: at most 32)");
	}

	@Test
	void anAudienceWithALineBreakIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> compile(Map.of("issuer", ISSUER, "audience", "api\r\nX-Evil: 1")))
			.withMessage(FIELD + ".bearer.audience: contains a character outside printable ASCII");
	}

	@Test
	void introspectionWithoutASecretIsRefusedNamingIt() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> compile(Map.of("issuer", ISSUER, "introspection", Map.of("client-id", "rs"))))
			.withMessage(
					FIELD + ".bearer.introspection.client-secret: missing (expected: client-id and client-secret)");
	}

	@Test
	void aBearerBlockThatIsNotAMapIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.blocks.compile(FIELD, Map.of("bearer", ISSUER)))
			.withMessage(
					FIELD + ".bearer: '" + ISSUER + "' (expected: a block of keys: issuer, audience, scopes, ...)");
	}

	@Test
	void basicKeysBesideABearerBlockAreRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.blocks.compile(FIELD,
					Map.of("bearer", Map.of("issuer", ISSUER), "users-file", "/etc/capuchin/users")))
			.withMessage(FIELD + ".users-file: unknown key for mode bearer (expected: bearer, mode, realm, require)");
	}

	@Test
	void aBearerBlockInABasicLocationIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.blocks.compile(FIELD,
					block("mode", "basic", "users", Map.of(), "bearer", Map.of("issuer", ISSUER))))
			.withMessageStartingWith(FIELD + ".bearer: unknown key for mode basic");
	}

	private BearerLocation compile(Map<String, Object> bearerBlock) {
		return this.blocks.compile(FIELD, Map.of("bearer", bearerBlock)).modeSettings(BearerLocation.class);
	}

	private static Map<String, Object> block(Object... keysAndValues) {
		Map<String, Object> block = new LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			block.put((String) keysAndValues[i], keysAndValues[i + 1]);
		}
		return block;
	}

}
