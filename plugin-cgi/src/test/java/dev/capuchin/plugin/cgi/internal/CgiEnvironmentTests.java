package dev.capuchin.plugin.cgi.internal;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class CgiEnvironmentTests {

	@ParameterizedTest
	@CsvSource({ "Host, HTTP_HOST", "x-custom-header, HTTP_X_CUSTOM_HEADER", "Accept2, HTTP_ACCEPT2" })
	void headerNamesMapToHttpVariables(String header, String variable) {
		assertThat(CgiEnvironment.headerVariable(header)).isEqualTo(variable);
	}

	@ParameterizedTest
	@ValueSource(strings = { "Proxy", "proxy", "Content-Type", "Content-Length", "X_Under", "X.Dot", "" })
	void headersThatMustNotOrCannotBeVariablesAreLeftOut(String header) {
		assertThat(CgiEnvironment.headerVariable(header)).isNull();
	}

}
