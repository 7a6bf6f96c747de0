package dev.capuchin.plugin.proxy.internal;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What goes to the server as the request target.
 */
class ProxyHandlerTests {

	@ParameterizedTest
	@CsvSource({ "/app/x?q=1, /app/x?q=1", "http://evil.example/x?q=1, /x?q=1", "http://evil.example, /",
			"http://evil.example?q=1, /?q=1", "https://h:8443/a/b, /a/b", "*, /" })
	void targetGoesInOriginFormWhateverTheClientWrote(String target, String expected) {
		assertThat(ProxyHandler.originForm(target)).isEqualTo(expected);
	}

}
