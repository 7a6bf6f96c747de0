package dev.capuchin.plugin.auth;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BasicAuthModeTests {

	@Test
	void aBasicBlockWithOnlyARealmLeavesItsUsersToTheStoredRealm() {
		assertThat(BasicAuthMode.storedRealm(Map.of("realm", "Staff"))).isEqualTo("Staff");
		assertThat(BasicAuthMode.storedRealm(Map.of("mode", "basic", "realm", "Staff"))).isEqualTo("Staff");
	}

	@Test
	void aBlockWithItsOwnUsersNamesNoStoredRealm() {
		assertThat(BasicAuthMode.storedRealm(Map.of("realm", "Staff", "users-file", "/etc/users"))).isNull();
		assertThat(BasicAuthMode.storedRealm(Map.of("realm", "Staff", "users", Map.of("a", "b")))).isNull();
	}

	@Test
	void aBearerBlockNamesNoStoredRealmEvenWithARealmForItsChallenge() {
		assertThat(BasicAuthMode.storedRealm(Map.of("realm", "API", "bearer", Map.of("issuer", "http://a")))).isNull();
		assertThat(BasicAuthMode.storedRealm(Map.of("realm", "API", "mode", "bearer"))).isNull();
	}

}
