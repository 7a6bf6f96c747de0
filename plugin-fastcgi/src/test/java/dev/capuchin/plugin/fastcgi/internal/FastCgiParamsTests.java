package dev.capuchin.plugin.fastcgi.internal;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for how {@link FastCgiParams} maps request headers to {@code HTTP_*} params.
 */
class FastCgiParamsTests {

	@ParameterizedTest
	@CsvSource({ "Host,HTTP_HOST", "user-agent,HTTP_USER_AGENT", "X-Forwarded-For,HTTP_X_FORWARDED_FOR",
			"Accept,HTTP_ACCEPT" })
	void headerBecomesHttpParam(String header, String param) {
		assertThat(FastCgiParams.httpName(header)).isEqualTo(param);
	}

	@ParameterizedTest
	@ValueSource(strings = { "Proxy", "proxy", "Content-Type", "Content-Length", "X_User", "X.Dot", ":authority" })
	void headerIsNotPassed(String header) {
		assertThat(FastCgiParams.httpName(header)).isNull();
	}

}
