package dev.capuchin.plugin.mandril;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PathRuleTests {

	@Test
	void aSubstringMatchesAnywhereInThePath() {
		PathRule rule = PathRule.parse("/secret");
		assertThat(rule.matches("/secret")).isTrue();
		assertThat(rule.matches("/a/secret/b.html")).isTrue();
		assertThat(rule.matches("/secrets.txt")).isTrue();
		assertThat(rule.matches("/public")).isFalse();
		assertThat(rule.regex()).isNull();
	}

	@Test
	void aSubstringIsCaseSensitiveByDefault() {
		assertThat(PathRule.parse("/secret").matches("/SECRET")).isFalse();
	}

	@Test
	void aCaseInsensitiveSubstringMatchesAnyCase() {
		PathRule rule = PathRule.substring("/Private", true);
		assertThat(rule.matches("/PRIVATE/x")).isTrue();
		assertThat(rule.matches("/a/private")).isTrue();
		assertThat(rule.matches("/priv")).isFalse();
	}

	@Test
	void aRegexIsFoundAnywhereInThePath() {
		PathRule rule = PathRule.parse("regex:\\.bak$");
		assertThat(rule.matches("/db/dump.bak")).isTrue();
		assertThat(rule.matches("/db/dump.bak.txt")).isFalse();
		assertThat(rule).hasToString("regex:\\.bak$");
	}

	@Test
	void anInvalidRegexIsRefusedNamingIt() {
		assertThatIllegalArgumentException().isThrownBy(() -> PathRule.parse("regex:["))
			.withMessage("'regex:[' is not a valid regular expression");
	}

	@Test
	void anEmptyRuleIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> PathRule.parse(""));
		assertThatIllegalArgumentException().isThrownBy(() -> PathRule.parse("regex:"));
	}

}
