package dev.capuchin.core.internal.server;

import java.nio.charset.StandardCharsets;

import dev.capuchin.core.internal.http.EncodedResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The codec of connections that take direct answers, on an embedded channel: encoded
 * responses go out as they are and still count as answers, so that the method of each
 * request stays paired with its response.
 */
class Http1ServerCodecTests {

	private final EmbeddedChannel channel = new EmbeddedChannel(
			new Http1ServerCodec(Http1ServerCodec.decoderConfig(Limits.DEFAULTS)));

	@AfterEach
	void close() {
		this.channel.finishAndReleaseAll();
	}

	@Test
	void anEncodedResponseGoesOutAsItsHeadThenItsBody() {
		receive("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
		this.channel
			.writeAndFlush(new EncodedResponse(ascii("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n"), ascii("body")));
		assertThat(sent()).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nbody");
	}

	@Test
	void theAnswerToAHeadAfterAnEncodedResponseCarriesNoBody() {
		receive("GET /a HTTP/1.1\r\nHost: x\r\n\r\n" + "HEAD /b HTTP/1.1\r\nHost: x\r\n\r\n");
		this.channel
			.writeAndFlush(new EncodedResponse(ascii("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n"), ascii("a")));
		this.channel.writeAndFlush(response("not for a HEAD"));
		assertThat(sent()).isEqualTo(
				"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na" + "HTTP/1.1 200 OK\r\nContent-Length: 14\r\n\r\n");
	}

	@Test
	void theAnswerToAGetAfterAnEncodedAnswerToAHeadCarriesItsBody() {
		receive("HEAD /a HTTP/1.1\r\nHost: x\r\n\r\n" + "GET /b HTTP/1.1\r\nHost: x\r\n\r\n");
		this.channel.writeAndFlush(new EncodedResponse(ascii("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n"), null));
		this.channel.writeAndFlush(response("b"));
		assertThat(sent()).isEqualTo(
				"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n" + "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nb");
	}

	@Test
	void headerNamesAreEncodedInTheirRegisteredCase() {
		receive("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
		FullHttpResponse response = response("b");
		response.headers().set("etag", "\"1\"").set("x-custom", "1");
		this.channel.writeAndFlush(response);
		assertThat(sent()).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nETag: \"1\"\r\nx-custom: 1\r\n\r\nb");
	}

	@Test
	void aRequestLineWithTwoSpacesDoesNotDecode() {
		this.channel.writeInbound(ascii("GET  /a HTTP/1.1\r\nHost: x\r\n\r\n"));
		HttpRequest request = this.channel.readInbound();
		assertThat(request.decoderResult().isFailure()).isTrue();
		ReferenceCountUtil.release(request);
	}

	@Test
	void aLowerCaseProtocolNameDoesNotDecode() {
		this.channel.writeInbound(ascii("GET /a http/1.1\r\nHost: x\r\n\r\n"));
		HttpRequest request = this.channel.readInbound();
		assertThat(request.decoderResult().isFailure()).isTrue();
		ReferenceCountUtil.release(request);
	}

	@Test
	void emptyLinesBeforeARequestLineAreSkipped() {
		receive("\r\n\r\nGET /a HTTP/1.1\r\nHost: x\r\n\r\n");
	}

	@Test
	void whitespaceBeforeARequestLineDoesNotDecode() {
		this.channel.writeInbound(ascii(" GET /a HTTP/1.1\r\nHost: x\r\n\r\n"));
		HttpRequest request = this.channel.readInbound();
		assertThat(request.decoderResult().isFailure()).isTrue();
		ReferenceCountUtil.release(request);
	}

	@Test
	void aTunnelOpenedByConnectIsAnsweredWithoutFraming() {
		receive("CONNECT example.test:443 HTTP/1.1\r\nHost: example.test:443\r\n\r\n");
		FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
				Unpooled.EMPTY_BUFFER);
		response.headers().set(HttpHeaderNames.TRANSFER_ENCODING, "chunked");
		this.channel.writeAndFlush(response);
		assertThat(sent()).doesNotContainIgnoringCase("transfer-encoding");
	}

	@Test
	void aRequestWithBothLengthsClosesTheConnectionAfterAnEncodedAnswer() {
		EmbeddedChannel lenient = lenientChannel();
		lenient.writeAndFlush(new EncodedResponse(ascii("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"), null));
		assertThat(lenient.isOpen()).isFalse();
		lenient.finishAndReleaseAll();
	}

	@Test
	void aRequestWithBothLengthsClosesTheConnectionAfterAStagedAnswer() {
		EmbeddedChannel lenient = lenientChannel();
		lenient.writeAndFlush(response("done"));
		assertThat(lenient.isOpen()).isFalse();
		lenient.finishAndReleaseAll();
	}

	@Test
	void anEncodedResponseNeverWrittenReleasesItsParts() {
		ByteBuf head = ascii("HTTP/1.1 200 OK\r\n\r\n");
		ByteBuf body = ascii("body");
		new EncodedResponse(head, body).release();
		assertThat(head.refCnt()).isZero();
		assertThat(body.refCnt()).isZero();
	}

	/**
	 * A channel whose decoder lets a request with both {@code Transfer-Encoding} and
	 * {@code Content-Length} through (Netty refuses it by default), after one such
	 * request.
	 */
	private static EmbeddedChannel lenientChannel() {
		EmbeddedChannel channel = new EmbeddedChannel(
				new Http1ServerCodec(new HttpDecoderConfig().setUseRfc9112TransferEncoding(false)));
		channel.writeInbound(ascii("POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
				+ "Content-Length: 5\r\n\r\n0\r\n\r\n"));
		Object request;
		while ((request = channel.readInbound()) != null) {
			ReferenceCountUtil.release(request);
		}
		assertThat(channel.isOpen()).isTrue();
		return channel;
	}

	private void receive(String requests) {
		this.channel.writeInbound(ascii(requests));
		Object request;
		while ((request = this.channel.readInbound()) != null) {
			if (request instanceof HttpRequest) {
				assertThat(((HttpRequest) request).decoderResult().isSuccess()).isTrue();
			}
			ReferenceCountUtil.release(request);
		}
	}

	private String sent() {
		StringBuilder text = new StringBuilder();
		ByteBuf out;
		while ((out = this.channel.readOutbound()) != null) {
			text.append(out.toString(StandardCharsets.US_ASCII));
			out.release();
		}
		return text.toString();
	}

	private static FullHttpResponse response(String body) {
		FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
				ascii(body));
		response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length());
		return response;
	}

	private static ByteBuf ascii(String text) {
		return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
	}

}
