package dev.capuchin.core.internal.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Stream;

import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.testing.EveryTransport;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile request bytes against a running kernel, one row each: the exact status of the
 * one answer, and whether the connection then closes. A row that keeps the connection
 * asks for another file on it and must get that file's answer next, so no row can hide a
 * second answer or a request smuggled in its body; a row that closes must see the end of
 * the stream right after its answer. Every answer's status line says {@code HTTP/1.1}.
 * <p>
 * Every row runs against a plain HTTP/1.1 listener (Capuchin's codec, direct answers);
 * the framing rows also against an h2c listener, whose HTTP/1.1 codec is Reactor Netty's.
 * Where nginx 1.22 answers differently, the row says why Capuchin's answer is right.
 */
@EveryTransport
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileRequestSocketTests {

	private static final String HELLO = "hello";

	private static final String OTHER = "other";

	/** A request hidden in a body: answered only if the body was framed wrongly. */
	private static final String SMUGGLED = "GET /other.txt HTTP/1.1\r\nHost: localhost\r\n\r\n";

	/** Rows whose answer does not depend on how strictly the request line is read. */
	private static final Set<String> FRAMING = Set.of("te-xchunked-with-length", "te-xchunked-alone", "te-xchunked-get",
			"te-gzip-chunked", "te-gzip-line-then-chunked-line", "te-gzip", "te-chunked-twice", "te-chunked-two-lines",
			"te-chunked-not-last", "te-empty", "te-chunked-with-length", "te-chunked-parameter-with-length",
			"te-on-http10", "chunk-size-invalid", "chunk-size-overflow", "chunk-size-bare-lf",
			"chunk-data-longer-than-size", "chunked-body-valid", "length-body-valid", "length-two-values",
			"http10-malformed-header", "line-version-1-2", "line-http10");

	@TempDir
	static Path temp;

	@Parameter
	Transport transport;

	private KernelFixture kernel;

	private KernelFixture h2c;

	@BeforeParameterizedClassInvocation
	void startKernels() throws IOException {
		this.kernel = kernel("http1", false);
		this.h2c = kernel("h2c", true);
	}

	private KernelFixture kernel(String name, boolean http2) throws IOException {
		Limits limits = new Limits(1024, 2048, 20, 1024, Duration.ofSeconds(10), Duration.ofSeconds(10), 100, 1000,
				1000);
		return KernelFixture.builder(temp.resolve(this.transport.name() + "-" + name))
			.transport(this.transport)
			.settings((settings) -> settings.withLimits(limits).withShutdownTimeout(Duration.ofSeconds(1)))
			.listener((listener) -> listener.withHttp2(http2))
			.file("hello.txt", HELLO)
			.file("other.txt", OTHER)
			.start();
	}

	@AfterParameterizedClassInvocation
	void stopKernels() {
		if (this.kernel != null) {
			this.kernel.close();
		}
		if (this.h2c != null) {
			this.h2c.close();
		}
	}

	/**
	 * One hostile request.
	 *
	 * @param name what it tries
	 * @param request its bytes, as ISO-8859-1 text
	 * @param status the status of its one answer
	 * @param closes whether the connection closes after it
	 */
	record Row(String name, String request, int status, boolean closes) {

		@Override
		public String toString() {
			return this.name;
		}

	}

	static Stream<Row> rows() {
		return Stream.of(
				// nginx 1.22 answers 501 to any coding but chunked; RFC 9112 §6.3
				// requires 400 when chunked is not the final coding
				new Row("te-xchunked-with-length",
						"POST /hello.txt HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: xchunked\r\nContent-Length: 4\r\n\r\nabcd"
								+ SMUGGLED + "",
						400, true),
				// nginx 501; 400 as chunked is not final (RFC 9112 §6.3)
				new Row("te-xchunked-alone",
						"POST /hello.txt HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: xchunked\r\n\r\n" + SMUGGLED
								+ "",
						400, true),
				// nginx 501; as above
				new Row("te-xchunked-get",
						"GET /hello.txt HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: xchunked\r\nContent-Length: 4\r\n\r\nabcd"
								+ SMUGGLED + "",
						400, true),
				new Row("te-gzip-chunked",
						"POST /hello.txt HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"
								+ SMUGGLED + "",
						501, true),
				// nginx 501; both lengths are refused before the codings are read, and
				// either way the length is never used
				new Row("te-gzip-chunked-with-length",
						"POST /hello.txt HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: gzip, chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n"
								+ SMUGGLED + "",
						400, true),
				// nginx refuses the repeated header with 400; the lines form one list
				// (RFC 9110 §5.3) whose unknown coding is the precise answer
				new Row("te-gzip-line-then-chunked-line",
						"POST /hello.txt HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
								+ SMUGGLED + "",
						501, true),
				// nginx 501; chunked is not final, so 400 (RFC 9112 §6.3)
				new Row("te-gzip",
						"POST /hello.txt HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: gzip\r\nContent-Length: 5\r\n\r\nabcde"
								+ SMUGGLED + "",
						400, true),
				// nginx 501; chunked twice is faulty framing (RFC 9112 §7), not an
				// unimplemented coding
				new Row("te-chunked-twice",
						"POST /hello.txt HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n"
								+ SMUGGLED + "",
						400, true),
				new Row("te-chunked-two-lines",
						"POST /hello.txt HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
								+ SMUGGLED + "",
						400, true),
				// nginx 501; RFC 9112 §6.3 names 400 for chunked not last
				new Row("te-chunked-not-last",
						"POST /hello.txt HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n"
								+ SMUGGLED + "",
						400, true),
				// nginx 501; an empty list has no final chunked (RFC 9112 §6.3)
				new Row("te-empty",
						"POST /hello.txt HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: \r\nContent-Length: 5\r\n\r\nabcde"
								+ SMUGGLED + "",
						400, true),
				new Row("te-chunked-with-length",
						"POST /hello.txt HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n"
								+ SMUGGLED + "",
						400, true),
				// chunked has no parameters (RFC 9112 §7.1): Netty's decoder does not
				// take
				// this as chunked and would frame the body by its length
				new Row("te-chunked-parameter-with-length",
						"POST /hello.txt HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked;x=1\r\nContent-Length: 4\r\n\r\nabcd"
								+ SMUGGLED + "",
						400, true),
				new Row("te-on-http10",
						"POST /hello.txt HTTP/1.0\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
								+ SMUGGLED + "",
						400, true),
				new Row("te-chunked-upper-case",
						"POST /hello.txt HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: CHUNKED\r\n\r\n0\r\n\r\n",
						405, false),
				new Row("te-chunked-ows",
						"POST /hello.txt HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding:  chunked \r\n\r\n0\r\n\r\n",
						405, false),
				new Row("te-chunked-vertical-tab",
						"POST /hello.txt HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: \u000bchunked\r\n\r\n0\r\n\r\n"
								+ SMUGGLED + "",
						400, true),
				new Row("te-space-before-colon",
						"POST /hello.txt HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding : chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n"
								+ SMUGGLED + "",
						400, true),
				new Row("chunk-size-invalid",
						"POST /hello.txt HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n"
								+ SMUGGLED + "",
						405, true),
				new Row("chunk-size-overflow",
						"POST /hello.txt HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffffff1\r\nhello\r\n0\r\n\r\n"
								+ SMUGGLED + "",
						405, true),
				// nginx accepts a bare LF after a chunk size; Capuchin does not guess
				// where a line ends, since a guess that differs from another hop's is how
				// requests are smuggled (RFC 9112 §2.2 permits refusing)
				new Row("chunk-size-bare-lf",
						"POST /hello.txt HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n"
								+ SMUGGLED + "",
						405, true),
				new Row("chunk-size-negative",
						"POST /hello.txt HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n"
								+ SMUGGLED + "",
						405, true),
				new Row("chunk-data-longer-than-size",
						"POST /hello.txt HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhello\r\n0\r\n\r\n"
								+ SMUGGLED + "",
						405, true),
				new Row("chunk-size-0x-prefix",
						"POST /hello.txt HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n"
								+ SMUGGLED + "",
						405, true),
				new Row("chunked-body-valid",
						"POST /hello.txt HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
						405, false),
				new Row("length-body-valid",
						"POST /hello.txt HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello", 405, false),
				new Row("length-two-values",
						"POST /hello.txt HTTP/1.1\r\nHost: localhost\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nhello"
								+ SMUGGLED + "",
						400, true),
				new Row("length-same-twice",
						"POST /hello.txt HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello"
								+ SMUGGLED + "",
						400, true),
				new Row("length-list",
						"POST /hello.txt HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5, 5\r\n\r\nhello" + SMUGGLED
								+ "",
						400, true),
				new Row("length-negative",
						"POST /hello.txt HTTP/1.1\r\nHost: localhost\r\nContent-Length: -1\r\n\r\n" + SMUGGLED + "",
						400, true),
				new Row("length-plus-sign",
						"POST /hello.txt HTTP/1.1\r\nHost: localhost\r\nContent-Length: +5\r\n\r\nhello" + SMUGGLED
								+ "",
						400, true),
				new Row("length-hex",
						"POST /hello.txt HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0x5\r\n\r\nhello" + SMUGGLED
								+ "",
						400, true),
				new Row("length-overflow",
						"POST /hello.txt HTTP/1.1\r\nHost: localhost\r\nContent-Length: 99999999999999999999\r\n\r\nhello"
								+ SMUGGLED + "",
						400, true),
				new Row("length-beyond-limit",
						"POST /hello.txt HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2048\r\n\r\nhello", 413, true),
				new Row("length-missing-on-post", "POST /hello.txt HTTP/1.1\r\nHost: localhost\r\n\r\n", 411, true),
				new Row("length-on-get", "GET /hello.txt HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello",
						200, false),
				// nginx accepts bare LF line ends; see chunk-size-bare-lf
				new Row("header-bare-lf", "GET /hello.txt HTTP/1.1\nHost: localhost\n\n", 400, true),
				new Row("header-bare-cr", "GET /hello.txt HTTP/1.1\r\nHost: localhost\r\nX-A: a\rb\r\n\r\n", 400, true),
				// nginx refuses folding with 400; RFC 9112 §5.2 lets a server replace
				// each fold with a space instead, as Netty does, so the value is read one
				// way only
				new Row("header-obs-fold", "GET /hello.txt HTTP/1.1\r\nHost: localhost\r\nX-A: a\r\n b\r\n\r\n", 200,
						false),
				new Row("header-nul", "GET /hello.txt HTTP/1.1\r\nHost: localhost\r\nX-A: a\u0000b\r\n\r\n", 400, true),
				new Row("header-no-colon", "GET /hello.txt HTTP/1.1\r\nHost: localhost\r\nX-A\r\n\r\n", 400, true),
				new Row("header-empty-name", "GET /hello.txt HTTP/1.1\r\nHost: localhost\r\n: a\r\n\r\n", 400, true),
				// nginx skips a header with an invalid name (ignore_invalid_headers);
				// refusing it leaves no line that two hops read two ways
				new Row("header-name-not-token", "GET /hello.txt HTTP/1.1\r\nHost: localhost\r\nX(A): a\r\n\r\n", 400,
						true),
				new Row("header-space-before-colon", "GET /hello.txt HTTP/1.1\r\nHost : localhost\r\n\r\n", 400, true),
				// nginx answers 400; 431 is the status RFC 6585 defines for it
				new Row("header-too-large",
						"GET /hello.txt HTTP/1.1\r\nHost: localhost\r\nX-A: " + "a".repeat(3000) + "\r\n\r\n", 431,
						true),
				new Row("header-too-many",
						"GET /hello.txt HTTP/1.1\r\nHost: localhost\r\n" + "X-A: a\r\n".repeat(25) + "\r\n", 431, true),
				new Row("http10-malformed-header", "GET /hello.txt HTTP/1.0\r\nX(A): a\r\n\r\n", 400, true),
				new Row("host-missing", "GET /hello.txt HTTP/1.1\r\n\r\n", 400, true),
				new Row("host-twice", "GET /hello.txt HTTP/1.1\r\nHost: localhost\r\nHost: other\r\n\r\n", 400, true),
				new Row("host-invalid", "GET /hello.txt HTTP/1.1\r\nHost: local host\r\n\r\n", 400, true),
				// nginx refuses an empty Host; RFC 9110 §7.2 has a client send one when
				// the target has no authority, so it names the default site
				new Row("host-empty", "GET /hello.txt HTTP/1.1\r\nHost: \r\n\r\n", 200, false),
				new Row("host-userinfo-in-target",
						"GET http://user@localhost/hello.txt HTTP/1.1\r\nHost: localhost\r\n\r\n", 400, true),
				new Row("http10-without-host", "GET /hello.txt HTTP/1.0\r\n\r\n", 200, true),
				// nginx accepts tabs as separators; RFC 9112 §3 is single SP, and a hop
				// that splits otherwise sees another target
				new Row("line-tabs", "GET\t/hello.txt\tHTTP/1.1\r\nHost: localhost\r\n\r\n", 400, true),
				// nginx accepts it; the protocol name is case-sensitive (RFC 9112 §2.3)
				new Row("line-lower-case-protocol", "GET /hello.txt http/1.1\r\nHost: localhost\r\n\r\n", 400, true),
				// nginx accepts runs of spaces; see line-tabs
				new Row("line-double-space", "GET  /hello.txt HTTP/1.1\r\nHost: localhost\r\n\r\n", 400, true),
				// nginx accepts trailing spaces; see line-tabs
				new Row("line-trailing-space", "GET /hello.txt HTTP/1.1 \r\nHost: localhost\r\n\r\n", 400, true),
				new Row("line-leading-space", " GET /hello.txt HTTP/1.1\r\nHost: localhost\r\n\r\n", 400, true),
				new Row("line-leading-crlf", "\r\nGET /hello.txt HTTP/1.1\r\nHost: localhost\r\n\r\n", 200, false),
				// nginx answers an HTTP/0.9 request with a bare body; Capuchin does not
				// speak 0.9
				new Row("line-no-version", "GET /hello.txt\r\nHost: localhost\r\n\r\n", 400, true),
				new Row("line-extra-word", "GET /hello.txt HTTP/1.1 x\r\nHost: localhost\r\n\r\n", 400, true),
				new Row("line-version-no-minor", "GET /hello.txt HTTP/1\r\nHost: localhost\r\n\r\n", 400, true),
				// nginx accepts up to three digits; RFC 9112 §2.3 has one DIGIT each side
				new Row("line-version-two-digits", "GET /hello.txt HTTP/1.10\r\nHost: localhost\r\n\r\n", 400, true),
				new Row("line-version-leading-zero", "GET /hello.txt HTTP/01.1\r\nHost: localhost\r\n\r\n", 400, true),
				new Row("line-version-2", "GET /hello.txt HTTP/2.0\r\nHost: localhost\r\n\r\n", 505, true),
				new Row("line-version-0-9", "GET /hello.txt HTTP/0.9\r\nHost: localhost\r\n\r\n", 505, true),
				new Row("line-version-1-2", "GET /hello.txt HTTP/1.2\r\nHost: localhost\r\n\r\n", 200, false),
				new Row("line-http10", "GET /hello.txt HTTP/1.0\r\nHost: localhost\r\n\r\n", 200, true),
				// nginx answers 400, its parser taking upper-case methods only; methods
				// are case-sensitive tokens (RFC 9110 §9.1) and "get" is one Capuchin
				// does not implement
				new Row("line-method-lower-case", "get /hello.txt HTTP/1.1\r\nHost: localhost\r\n\r\n", 501, true),
				new Row("line-method-unknown", "BREW /hello.txt HTTP/1.1\r\nHost: localhost\r\n\r\n", 501, true),
				new Row("line-method-not-token", "GE(T /hello.txt HTTP/1.1\r\nHost: localhost\r\n\r\n", 400, true),
				new Row("line-too-long", "GET /" + "a".repeat(2000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n", 414,
						true),
				new Row("line-control-in-target", "GET /hello\u0001.txt HTTP/1.1\r\nHost: localhost\r\n\r\n", 400,
						true),
				new Row("target-asterisk-get", "GET * HTTP/1.1\r\nHost: localhost\r\n\r\n", 400, true),
				new Row("target-asterisk-options", "OPTIONS * HTTP/1.1\r\nHost: localhost\r\n\r\n", 204, false),
				new Row("target-relative", "GET hello.txt HTTP/1.1\r\nHost: localhost\r\n\r\n", 400, true),
				new Row("target-dot-dot", "GET /../hello.txt HTTP/1.1\r\nHost: localhost\r\n\r\n", 400, true),
				new Row("target-encoded-dot-dot", "GET /%2e%2e/hello.txt HTTP/1.1\r\nHost: localhost\r\n\r\n", 400,
						true),
				new Row("target-encoded-nul", "GET /hello.txt%00 HTTP/1.1\r\nHost: localhost\r\n\r\n", 400, true),
				new Row("target-encoded-slash", "GET /a%2fhello.txt HTTP/1.1\r\nHost: localhost\r\n\r\n", 404, false),
				new Row("target-fragment", "GET /hello.txt#x HTTP/1.1\r\nHost: localhost\r\n\r\n", 200, false),
				new Row("target-absolute", "GET http://localhost/hello.txt HTTP/1.1\r\nHost: localhost\r\n\r\n", 200,
						false),
				// nginx answers 405 to CONNECT; Capuchin is no proxy and takes no
				// authority-form target
				new Row("target-connect-authority", "CONNECT localhost:80 HTTP/1.1\r\nHost: localhost\r\n\r\n", 400,
						true),
				new Row("range-valid", "GET /hello.txt HTTP/1.1\r\nHost: localhost\r\nRange: bytes=0-1\r\n\r\n", 206,
						false),
				new Row("range-suffix", "GET /hello.txt HTTP/1.1\r\nHost: localhost\r\nRange: bytes=-2\r\n\r\n", 206,
						false),
				new Row("range-beyond-end", "GET /hello.txt HTTP/1.1\r\nHost: localhost\r\nRange: bytes=10-20\r\n\r\n",
						416, false),
				new Row("range-reversed", "GET /hello.txt HTTP/1.1\r\nHost: localhost\r\nRange: bytes=3-1\r\n\r\n", 200,
						false),
				new Row("range-garbage", "GET /hello.txt HTTP/1.1\r\nHost: localhost\r\nRange: bytes=abc\r\n\r\n", 200,
						false),
				new Row("range-other-unit", "GET /hello.txt HTTP/1.1\r\nHost: localhost\r\nRange: items=0-1\r\n\r\n",
						200, false),
				new Row("range-multiple", "GET /hello.txt HTTP/1.1\r\nHost: localhost\r\nRange: bytes=0-0,2-2\r\n\r\n",
						206, false),
				new Row("range-many-overlapping",
						"GET /hello.txt HTTP/1.1\r\nHost: localhost\r\nRange: bytes=" + "0-,".repeat(100)
								+ "0-\r\n\r\n",
						200, false),
				new Row("range-two-headers",
						"GET /hello.txt HTTP/1.1\r\nHost: localhost\r\nRange: bytes=0-1\r\nRange: bytes=2-3\r\n\r\n",
						206, false),
				new Row("range-negative-start", "GET /hello.txt HTTP/1.1\r\nHost: localhost\r\nRange: bytes=-0\r\n\r\n",
						416, false),
				new Row("range-overflow",
						"GET /hello.txt HTTP/1.1\r\nHost: localhost\r\nRange: bytes=0-99999999999999999999\r\n\r\n",
						200, false),
				new Row("expect-unknown", "GET /hello.txt HTTP/1.1\r\nHost: localhost\r\nExpect: teapot\r\n\r\n", 200,
						false));
	}

	static Stream<Row> framingRows() {
		return rows().filter((row) -> FRAMING.contains(row.name()));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("rows")
	void hostileRequestGetsExactlyOneAnswer(Row row) throws IOException {
		expectOneAnswer(this.kernel.address(), row);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("framingRows")
	void hostileFramingGetsExactlyOneAnswerFromReactorNettysCodecToo(Row row) throws IOException {
		expectOneAnswer(this.h2c.address(), row);
	}

	@Test
	void everyFramingRowIsInTheTable() {
		assertThat(framingRows().map(Row::name)).containsExactlyInAnyOrderElementsOf(FRAMING);
	}

	private static void expectOneAnswer(InetSocketAddress address, Row row) throws IOException {
		try (RawHttp http = RawHttp.connect(address)) {
			RawHttp.Response response = http.exchange(row.request());
			assertThat(response.statusLine()).startsWith("HTTP/1.1 " + row.status() + " ");
			if (row.closes()) {
				// the end of the stream at once: neither a second answer nor the smuggled
				// request's
				assertThat(http.isClosedByServer(5_000)).as("closed after the one answer").isTrue();
			}
			else {
				RawHttp.Response next = http.exchange(RawHttp.get("/other.txt", "localhost"));
				assertThat(next.statusLine()).isEqualTo("HTTP/1.1 200 OK");
				assertThat(next.text()).isEqualTo(OTHER);
			}
		}
	}

}
