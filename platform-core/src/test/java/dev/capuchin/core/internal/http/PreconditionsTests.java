package dev.capuchin.core.internal.http;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Preconditions}: the conditional headers of RFC 9110, section 13, for a
 * representation with and without a modification date.
 */
class PreconditionsTests {

	private static final String ETAG = "\"v1\"";

	private static final long MODIFIED = 1_700_000_000_000L;

	@Test
	void ifModifiedSinceTheModificationDateIsNotModified() {
		HttpHeaders headers = headers("If-Modified-Since", HttpDates.format(MODIFIED));
		assertThat(Preconditions.evaluate(headers, ETAG, MODIFIED)).isEqualTo(Preconditions.Outcome.NOT_MODIFIED);
	}

	@Test
	void ifModifiedSinceBeforeTheModificationDateProceeds() {
		HttpHeaders headers = headers("If-Modified-Since", HttpDates.format(MODIFIED - 60_000));
		assertThat(Preconditions.evaluate(headers, ETAG, MODIFIED)).isEqualTo(Preconditions.Outcome.PROCEED);
	}

	@Test
	void ifModifiedSinceIsIgnoredWithoutAModificationDate() {
		HttpHeaders headers = headers("If-Modified-Since", HttpDates.format(MODIFIED));
		assertThat(Preconditions.evaluate(headers, ETAG, -1)).isEqualTo(Preconditions.Outcome.PROCEED);
	}

	@Test
	void ifUnmodifiedSinceBeforeTheModificationDateFails() {
		HttpHeaders headers = headers("If-Unmodified-Since", HttpDates.format(MODIFIED - 60_000));
		assertThat(Preconditions.evaluate(headers, ETAG, MODIFIED)).isEqualTo(Preconditions.Outcome.FAILED);
	}

	@Test
	void ifUnmodifiedSinceIsIgnoredWithoutAModificationDate() {
		HttpHeaders headers = headers("If-Unmodified-Since", HttpDates.format(MODIFIED - 60_000));
		assertThat(Preconditions.evaluate(headers, ETAG, -1)).isEqualTo(Preconditions.Outcome.PROCEED);
	}

	@Test
	void ifNoneMatchWinsOverIfModifiedSince() {
		HttpHeaders headers = headers("If-None-Match", "\"v0\"");
		headers.set("If-Modified-Since", HttpDates.format(MODIFIED));
		assertThat(Preconditions.evaluate(headers, ETAG, MODIFIED)).isEqualTo(Preconditions.Outcome.PROCEED);
	}

	@Test
	void ifRangeWithTheModificationDateLetsTheRangeApply() {
		HttpHeaders headers = headers("If-Range", HttpDates.format(MODIFIED));
		assertThat(Preconditions.rangeApplies(headers, ETAG, MODIFIED)).isTrue();
	}

	@Test
	void ifRangeWithADateNeverMatchesWithoutAModificationDate() {
		HttpHeaders headers = headers("If-Range", HttpDates.format(MODIFIED));
		assertThat(Preconditions.rangeApplies(headers, ETAG, -1)).isFalse();
	}

	private static HttpHeaders headers(String name, String value) {
		return new DefaultHttpHeaders().set(name, value);
	}

}
