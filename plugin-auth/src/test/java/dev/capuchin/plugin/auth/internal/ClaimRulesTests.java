package dev.capuchin.plugin.auth.internal;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ClaimRulesTests {

	private static final String FIELD = "site shop: locations[0].auth.openid.require";

	private static ClaimRules rules(Map<String, Object> claims) {
		return ClaimRules.parse(FIELD, Map.of("claims", claims));
	}

	@Test
	void withoutRulesAnySignedInUserPasses() {
		assertThat(ClaimRules.parse(FIELD, null).refusal(Map.of())).isNull();
	}

	@Test
	void aListClaimMustContainOneOfTheValues() {
		ClaimRules rules = rules(Map.of("groups", List.of("staff", "admins")));
		assertThat(rules.refusal(Map.of("groups", List.of("readers", "staff")))).isNull();
		assertThat(rules.refusal(Map.of("groups", List.of("readers"))))
			.isEqualTo("claim groups has none of the required values");
		assertThat(rules.refusal(Map.of())).isNotNull();
	}

	@Test
	void aTextClaimMustEqualOneOfTheValues() {
		ClaimRules rules = rules(Map.of("department", "sales"));
		assertThat(rules.refusal(Map.of("department", "sales"))).isNull();
		assertThat(rules.refusal(Map.of("department", "salesforce"))).isNotNull();
	}

	@Test
	void everyClaimNamedMustMatch() {
		ClaimRules rules = rules(Map.of("groups", "staff", "department", "sales"));
		assertThat(rules.refusal(Map.of("groups", List.of("staff"), "department", "sales"))).isNull();
		assertThat(rules.refusal(Map.of("groups", List.of("staff"), "department", "hr"))).isNotNull();
	}

	@Test
	void anEmailDomainIsComparedWithoutCase() {
		ClaimRules rules = rules(Map.of("email-domain", List.of("Example.test")));
		assertThat(rules.refusal(Map.of("email", "alice@EXAMPLE.test"))).isNull();
		assertThat(rules.refusal(Map.of("email", "alice@example.test.evil")))
			.isEqualTo("email outside the required domains");
		assertThat(rules.refusal(Map.of("email", "example.test"))).isNotNull();
	}

	@Test
	void anUnverifiedEmailDoesNotPassADomainRule() {
		ClaimRules rules = rules(Map.of("email-domain", "example.test"));
		assertThat(rules.refusal(Map.of("email", "alice@example.test", "email_verified", false)))
			.isEqualTo("no verified email claim");
	}

	@Test
	void theRulesNameTheClaimsASessionMustKeep() {
		assertThat(rules(Map.of("groups", "staff", "email-domain", "example.test")).names())
			.containsExactlyInAnyOrder("groups", "email", "email_verified");
	}

	@Test
	void anEmptyValueListIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> rules(Map.of("groups", List.of())))
			.withMessageStartingWith(FIELD + ".claims.groups: ");
	}

}
