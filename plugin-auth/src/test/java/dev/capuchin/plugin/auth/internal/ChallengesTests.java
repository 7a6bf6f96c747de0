package dev.capuchin.plugin.auth.internal;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class ChallengesTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
			Private            | Basic realm="Private", charset="UTF-8"
			The "inner" room   | Basic realm="The \\"inner\\" room", charset="UTF-8"
			C:\\share          | Basic realm="C:\\\\share", charset="UTF-8"
			""")
	void theRealmIsAQuotedStringWithQuotesAndBackslashesEscaped(String realm, String challenge) {
		assertThat(Challenges.basic(realm)).isEqualTo(challenge);
	}

}
