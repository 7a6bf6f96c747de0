package dev.capuchin.core.internal.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registered spelling of header names on HTTP/1.x.
 */
class HeaderNamesTests {

	@ParameterizedTest
	@CsvSource({ "content-length, Content-Length", "etag, ETag", "ETAG, ETag", "www-authenticate, WWW-Authenticate",
			"last-modified, Last-Modified", "content-range, Content-Range", "accept-ranges, Accept-Ranges",
			"x-content-type-options, X-Content-Type-Options" })
	void registeredNamesAreWrittenInTheirRegisteredCase(String name, String registered) {
		assertThat(HeaderNames.registered(name).toString()).isEqualTo(registered);
	}

	@Test
	void nettysNameConstantsAreFound() {
		assertThat(HeaderNames.registered(HttpHeaderNames.CONTENT_TYPE).toString()).isEqualTo("Content-Type");
	}

	@Test
	void anUnknownNameIsWrittenAsItWasSet() {
		String name = "x-Capuchin-custom";
		assertThat(HeaderNames.registered(name)).isSameAs(name);
	}

}
