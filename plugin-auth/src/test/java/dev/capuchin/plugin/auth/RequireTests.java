package dev.capuchin.plugin.auth;

import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RequireTests {

	@Test
	void validUserPermitsEveryUser() {
		assertThat(Require.VALID_USER.permits("anyone")).isTrue();
	}

	@Test
	void aUserListPermitsOnlyItsUsers() {
		Require require = Require.users(Set.of("alice", "bob"));
		assertThat(require.permits("alice")).isTrue();
		assertThat(require.permits("carol")).isFalse();
		assertThat(require.permits("Alice")).isFalse();
	}

	@Test
	void anEmptyUserListIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> Require.users(Set.of()));
	}

}
