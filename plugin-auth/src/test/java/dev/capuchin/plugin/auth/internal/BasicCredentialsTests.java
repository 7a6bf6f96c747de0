package dev.capuchin.plugin.auth.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BasicCredentialsTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			Basic YWxpY2U6d29uZGVybGFuZA==  | alice | wonderland
			basic YWxpY2U6d29uZGVybGFuZA==  | alice | wonderland
			BASIC   YWxpY2U6d29uZGVybGFuZA== | alice | wonderland
			Basic YWxpY2U6d29uZGVybGFuZA    | alice | wonderland
			Basic YWxpY2U6d29uOmRlcjpsYW5k  | alice | won:der:land
			""")
	void credentialsAreSplitAtTheFirstColon(String header, String user, String password) {
		BasicCredentials credentials = BasicCredentials.parse(header);
		assertThat(credentials.user()).isEqualTo(user);
		assertThat(credentials.password()).isEqualTo(password);
	}

	@Test
	void credentialsAreDecodedAsUtf8() {
		String token = Base64.getEncoder().encodeToString("zoë:pässwörd".getBytes(StandardCharsets.UTF_8));
		BasicCredentials credentials = BasicCredentials.parse("Basic " + token);
		assertThat(credentials.user()).isEqualTo("zoë");
		assertThat(credentials.password()).isEqualTo("pässwörd");
	}

	@Test
	void anEmptyPasswordIsKept() {
		assertThat(BasicCredentials.parse("Basic YWxpY2U6").password()).isEmpty();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			Basic                     | no credentials after Basic
			Basic !!!notbase64        | credentials are not base64
			Basic YWxpY2U=            | no ':' between user and password
			Basic YWxpY2UKOnBhc3M=    | control character in credentials
			Basic /w==                | credentials are not UTF-8
			""")
	void malformedCredentialsAreRefusedWithTheReason(String header, String reason) {
		assertThatIllegalArgumentException().isThrownBy(() -> BasicCredentials.parse(header)).withMessage(reason);
	}

	@ParameterizedTest
	@ValueSource(strings = { "Bearer abc", "Basically abc", "Digest username=alice", "" })
	void otherSchemesAreNotBasic(String header) {
		assertThat(BasicCredentials.isBasic(header)).isFalse();
	}

	@Test
	void theStringFormNeverShowsThePassword() {
		assertThat(BasicCredentials.parse("Basic YWxpY2U6d29uZGVybGFuZA==").toString()).contains("alice")
			.doesNotContain("wonderland");
	}

}
