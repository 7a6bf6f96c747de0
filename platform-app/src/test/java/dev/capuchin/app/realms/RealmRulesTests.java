package dev.capuchin.app.realms;

import dev.capuchin.app.shared.config.InvalidConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RealmRulesTests {

	@ParameterizedTest
	@ValueSource(strings = { "Staff", "staff-area", "a", "v1.2_b" })
	void realmNamesOfLettersDigitsDotsDashesAndUnderscoresAreAccepted(String name) {
		assertThat(RealmRules.nameProblem(name)).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "two words", "-lead", "a/b", "quote\"d", "ümlaut",
			"a2345678901234567890123456789012345678901234567890123456789012345" })
	void otherRealmNamesAreRefused(String name) {
		assertThat(RealmRules.nameProblem(name)).isNotNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "alice", "zoë", "bob.smith@example.com", "a+b", "42" })
	void userNamesOfLettersDigitsAndMailSignsAreAccepted(String user) {
		assertThat(RealmRules.userProblem(user)).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "a b", "a:b", "a/b", ".hidden", "tab\tbed" })
	void otherUserNamesAreRefused(String user) {
		assertThat(RealmRules.userProblem(user)).isNotNull();
	}

	@Test
	void passwordsAreEightCharactersTo72BytesWithoutControlCharactersAndNeverQuoted() {
		assertThat(RealmRules.passwordProblem("seven77")).isEqualTo("too short (expected: at least 8 characters)");
		assertThat(RealmRules.passwordProblem("eight888")).isNull();
		assertThat(RealmRules.passwordProblem("ü".repeat(37))).startsWith("too long (expected: at most 72 bytes");
		assertThat(RealmRules.passwordProblem("tab\tinside")).isEqualTo("contains a control character");
	}

	@Test
	void newHashesAreBcrypt2yThatTheAuthPluginAndSpringSecurityRead() {
		String hash = RealmRules.hash("the-password");
		assertThat(hash).startsWith("$2y$10$");
		assertThat(new BCryptPasswordEncoder().matches("the-password", hash)).isTrue();
		RealmRules.checkHash("realm Staff: users", "alice", hash);
	}

	@Test
	void aStoredHashIsCheckedAsTheAuthPluginReadsIt() {
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> RealmRules.checkHash("realm Staff: users", "bob", "$apr1$x$y"))
			.withMessage("realm Staff: users: user bob: unsupported scheme $apr1$ (Apache MD5; expected: bcrypt $2y$, "
					+ "$2a$ or $2b$, or {SHA})");
	}

}
