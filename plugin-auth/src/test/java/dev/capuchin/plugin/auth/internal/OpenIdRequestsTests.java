package dev.capuchin.plugin.auth.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class OpenIdRequestsTests {

	@ParameterizedTest
	@ValueSource(strings = { "/", "/team/page.html?x=1&y=%C3%A9", "/a//b" })
	void aPathOfTheSiteIsLocal(String url) {
		assertThat(OpenIdRequests.isLocal(url)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "//evil.example/", "/\\evil.example/", "https://evil.example/", "evil.example",
			"/\t/evil.example", "/a\\b", "/\u00e9" })
	void anythingABrowserCouldReadAsAnotherHostIsNotLocal(String url) {
		assertThat(OpenIdRequests.isLocal(url)).isFalse();
	}

	@Test
	void verifiersStatesAndNoncesAreFreshAndLongEnough() {
		assertThat(OpenIdRequests.verifier()).hasSize(128).isNotEqualTo(OpenIdRequests.verifier());
		assertThat(OpenIdRequests.random()).hasSize(43).matches("[A-Za-z0-9_-]+").isNotEqualTo(OpenIdRequests.random());
	}

}
