package dev.capuchin.plugin.auth;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class BearerAuthModeTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			Bearer abc.def.ghi    | abc.def.ghi
			Bearer   a-b_c~d+e/f= | a-b_c~d+e/f=
			Bearer xyz==          | xyz==
			""")
	void theTokenIsTheB64tokenAfterTheScheme(String authorization, String token) {
		assertThat(BearerAuthMode.token(authorization)).isEqualTo(token);
	}

	@ParameterizedTest
	@ValueSource(strings = { "Bearer", "Bearer ", "Bearer a b", "Bearer ==", "Bearer a=b", "Bearer t\u00f6ken",
			"Bearer {}", "Bearer a\tb" })
	void aMalformedTokenIsNull(String authorization) {
		assertThat(BearerAuthMode.token(authorization)).isNull();
	}

	@org.junit.jupiter.api.Test
	void aTokenLongerThanTheLimitIsNull() {
		assertThat(BearerAuthMode.token("Bearer " + "a".repeat(BearerAuthMode.MAX_TOKEN + 1))).isNull();
		assertThat(BearerAuthMode.token("Bearer " + "a".repeat(BearerAuthMode.MAX_TOKEN))).isNotNull();
	}

}
