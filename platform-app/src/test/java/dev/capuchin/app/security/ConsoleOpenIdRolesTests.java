package dev.capuchin.app.security;

import java.util.List;
import java.util.Map;

import dev.capuchin.app.openidlogins.OpenIdLogin;
import dev.capuchin.app.users.ConsoleUser;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mapping of a claim's values to a console role.
 */
class ConsoleOpenIdRolesTests {

	private static final OpenIdLogin.Console MAPPING = new OpenIdLogin.Console("groups", List.of("ops"), List.of("web"),
			List.of("staff"), List.of());

	@Test
	void theHighestRoleAnyValueGivesWins() {
		assertThat(ConsoleOpenIdSignIn.role(MAPPING, Map.of("groups", List.of("staff", "ops", "web"))))
			.contains(ConsoleUser.Role.ADMIN);
		assertThat(ConsoleOpenIdSignIn.role(MAPPING, Map.of("groups", List.of("staff", "web"))))
			.contains(ConsoleUser.Role.OPERATOR);
	}

	@Test
	void aClaimWithOneStringIsOneValue() {
		assertThat(ConsoleOpenIdSignIn.role(MAPPING, Map.of("groups", "staff"))).contains(ConsoleUser.Role.VIEWER);
	}

	@Test
	void valuesThatGiveNoRoleAndAMissingClaimGiveNone() {
		assertThat(ConsoleOpenIdSignIn.role(MAPPING, Map.of("groups", List.of("guests")))).isEmpty();
		assertThat(ConsoleOpenIdSignIn.role(MAPPING, Map.of("email", "ops"))).isEmpty();
	}

	@Test
	void valuesAreComparedExactly() {
		assertThat(ConsoleOpenIdSignIn.role(MAPPING, Map.of("groups", List.of("OPS", "ops-team")))).isEmpty();
	}

}
