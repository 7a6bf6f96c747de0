package dev.capuchin.plugin.mandril.internal;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class HostNamesTests {

	private final HostNames names = HostNames.of(List.of("example.com", "www.example.com", "*.example.org"));

	@ParameterizedTest(name = "{0} (Host {1}) is own: {2}")
	@CsvSource(delimiter = '|', nullValues = "null", value = { "https://example.com/page | null | true",
			"http://WWW.Example.COM:8080/a?b | null | true", "https://example.com. | null | true",
			"https://user:pw@example.com/x | null | true", "https://cdn.example.org/x | null | true",
			"https://a.b.example.org/x | null | true", "https://example.org/x | null | false",
			"https://evil.com/example.com | null | false", "https://example.com.evil.com/ | null | false",
			"https://evil.com/?u=https://example.com | null | false", "https://example.com@evil.com/ | null | false",
			"not a url | null | false", "https:// | null | false", "https://10.0.0.1:2001/ | 10.0.0.1:2001 | true",
			"https://[::1]:2001/ | [::1]:2001 | true", "https://other.net/ | other.net | true",
			"https://other.net/ | example.com | false" })
	void aRefererIsOwnWhenItsHostIsOneOfTheSiteNamesOrTheRequestHost(String referer, String host, boolean own) {
		assertThat(this.names.isOwn(referer, host)).isEqualTo(own);
	}

}
