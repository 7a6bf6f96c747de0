package dev.capuchin.core.internal.server;

import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request check shared by the direct and the staged path, and the framing check.
 */
class RequestCheckTests {

	@ParameterizedTest(name = "[{0}] -> {1}")
	@CsvSource(delimiter = '|', value = { "chunked|", "CHUNKED|", "' chunked '|", "', chunked'|", "'chunked,'|",
			"gzip, chunked|CODING_UNKNOWN", "chunked, chunked|CHUNKED_TWICE", "chunked, gzip|CHUNKED_NOT_LAST",
			"xchunked|CHUNKED_NOT_LAST", "gzip|CHUNKED_NOT_LAST", "''|CHUNKED_NOT_LAST", "chunkedx|CHUNKED_NOT_LAST",
			"'gzip;q=1, chunked'|CODING_UNKNOWN", "'chunked, gzip;q=1'|CHUNKED_NOT_LAST",
			"'chunked;x=1'|CHUNKED_NOT_LAST", "'gzip, chunked ; x=1'|CHUNKED_NOT_LAST" })
	void transferCodingsAreChunkedAloneOnceAndLast(String codings, Refusal expected) {
		HttpHeaders headers = headers().add(HttpHeaderNames.TRANSFER_ENCODING, codings);
		assertThat(RequestCheck.framing(HttpVersion.HTTP_1_1, headers)).isEqualTo(expected);
	}

	@Test
	void codingsOnSeveralLinesAreReadInTheirOrder() {
		HttpHeaders headers = headers().add(HttpHeaderNames.TRANSFER_ENCODING, "gzip")
			.add(HttpHeaderNames.TRANSFER_ENCODING, "chunked");
		assertThat(RequestCheck.framing(HttpVersion.HTTP_1_1, headers)).isEqualTo(Refusal.CODING_UNKNOWN);
	}

	@Test
	void chunkedOnTwoLinesIsAppliedTwice() {
		HttpHeaders headers = headers().add(HttpHeaderNames.TRANSFER_ENCODING, "chunked")
			.add(HttpHeaderNames.TRANSFER_ENCODING, "chunked");
		assertThat(RequestCheck.framing(HttpVersion.HTTP_1_1, headers)).isEqualTo(Refusal.CHUNKED_TWICE);
	}

	@Test
	void aListOfManyEmptyElementsIsReadToItsEnd() {
		HttpHeaders headers = headers().add(HttpHeaderNames.TRANSFER_ENCODING, ",".repeat(16_000) + "chunked");
		assertThat(RequestCheck.framing(HttpVersion.HTTP_1_1, headers)).isNull();
	}

	@Test
	void anyTransferEncodingOnHttp10IsRefused() {
		HttpHeaders headers = headers().add(HttpHeaderNames.TRANSFER_ENCODING, "chunked");
		assertThat(RequestCheck.framing(HttpVersion.HTTP_1_0, headers)).isEqualTo(Refusal.CODING_ON_HTTP10);
	}

	@Test
	void noTransferEncodingIsSoundFraming() {
		assertThat(RequestCheck.framing(HttpVersion.HTTP_1_1, headers())).isNull();
	}

	@Test
	void aPlainGetPasses() {
		assertThat(check(HttpMethod.GET, "/a", headers().add(HttpHeaderNames.HOST, "localhost"))).isNull();
	}

	@Test
	void aPostWithAChunkedBodyNeedsNoLength() {
		HttpHeaders headers = headers().add(HttpHeaderNames.HOST, "localhost")
			.add(HttpHeaderNames.TRANSFER_ENCODING, "chunked");
		assertThat(check(HttpMethod.POST, "/a", headers)).isNull();
	}

	@ParameterizedTest(name = "{0} {1} -> {2}")
	@CsvSource({ "BREW, /a, METHOD", "GET, a, TARGET_FORM", "GET, *, TARGET_FORM", "GET, http:///a, TARGET_FORM",
			"GET, http://u@h/a, TARGET_FORM", "POST, /a, LENGTH_REQUIRED" })
	void requestsAreRefusedWithTheirReason(String method, String target, Refusal expected) {
		assertThat(check(HttpMethod.valueOf(method), target, headers().add(HttpHeaderNames.HOST, "localhost")))
			.isEqualTo(expected);
	}

	@Test
	void hostIsRequiredOnceAndValid() {
		assertThat(check(HttpMethod.GET, "/a", headers())).isEqualTo(Refusal.HOST_MISSING);
		assertThat(check(HttpMethod.GET, "/a", headers().add(HttpHeaderNames.HOST, "a").add(HttpHeaderNames.HOST, "b")))
			.isEqualTo(Refusal.HOST_REPEATED);
		assertThat(check(HttpMethod.GET, "/a", headers().add(HttpHeaderNames.HOST, "a b")))
			.isEqualTo(Refusal.HOST_INVALID);
	}

	@Test
	void lengthsAreNumbersThatAgreeAndFitTheLimit() {
		HttpHeaders host = headers().add(HttpHeaderNames.HOST, "localhost");
		assertThat(check(HttpMethod.POST, "/a", host.copy().add(HttpHeaderNames.CONTENT_LENGTH, "x")))
			.isEqualTo(Refusal.LENGTH_INVALID);
		assertThat(check(HttpMethod.POST, "/a",
				host.copy().add(HttpHeaderNames.CONTENT_LENGTH, "1").add(HttpHeaderNames.CONTENT_LENGTH, "2")))
			.isEqualTo(Refusal.LENGTH_INVALID);
		assertThat(check(HttpMethod.POST, "/a",
				host.copy().add(HttpHeaderNames.CONTENT_LENGTH, Long.toString(Limits.DEFAULTS.maxBodySize() + 1))))
			.isEqualTo(Refusal.BODY_TOO_LARGE);
	}

	private static Refusal check(HttpMethod method, String target, HttpHeaders headers) {
		return RequestCheck.check(method, HttpVersion.HTTP_1_1, headers, target, false, Limits.DEFAULTS,
				Limits.DEFAULTS.maxBodySize());
	}

	private static HttpHeaders headers() {
		// values as a decoder leaves them, which the check must still read right
		return DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders();
	}

}
