package dev.capuchin.core.internal.server;

import java.nio.charset.StandardCharsets;
import java.time.Clock;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guard behind the HTTP/1.1 codec, on an embedded channel: what it lets through, what
 * it answers itself, and when it closes.
 */
class Http1RequestGuardTests {

	private final EmbeddedChannel channel = new EmbeddedChannel(
			new Http1ServerCodec(Http1ServerCodec.decoderConfig(Limits.DEFAULTS)),
			new Http1RequestGuard(new RefusedRequests(Clock.systemUTC())));

	@AfterEach
	void close() {
		this.channel.finishAndReleaseAll();
	}

	@Test
	void anUnknownCodingIsAnsweredHereAndNothingBehindItIsRead() {
		this.channel.writeInbound(ascii("POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
				+ "0\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n"));
		assertThat((Object) this.channel.readInbound()).isNull();
		assertThat(sent()).startsWith("HTTP/1.1 501 Not Implemented\r\n").contains("\r\nConnection: close\r\n");
		assertThat(this.channel.isOpen()).isFalse();
	}

	@Test
	void chunkedWithAParameterIsNeverFramedByItsLength() {
		// Netty's decoder (4.2.17 and later) refuses this framing itself: the request
		// goes
		// on marked as malformed, which the kernel answers 400 and closes (checked over
		// sockets by HostileRequestSocketTests), never as a request with a 4-byte body
		this.channel.writeInbound(ascii(
				"POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked;x=1\r\n" + "Content-Length: 4\r\n\r\nabcd"));
		HttpRequest request = this.channel.readInbound();
		assertThat(request.decoderResult().isFailure()).isTrue();
		int bodyBytes = 0;
		for (Object next = this.channel.readInbound(); next != null; next = this.channel.readInbound()) {
			bodyBytes += ((HttpContent) next).content().readableBytes();
			ReferenceCountUtil.release(next);
		}
		assertThat(bodyBytes).isZero();
	}

	@Test
	void aBodyThatFailsAfterItsAnswerClosesTheConnectionWithoutAnotherAnswer() {
		this.channel.writeInbound(ascii("POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"));
		HttpRequest request = this.channel.readInbound();
		assertThat(request.decoderResult().isSuccess()).isTrue();
		this.channel.writeOutbound(response(HttpResponseStatus.METHOD_NOT_ALLOWED));
		assertThat(sent()).startsWith("HTTP/1.1 405 ");
		this.channel.writeInbound(ascii("zz\r\nhello\r\n0\r\n\r\n"));
		assertThat((Object) this.channel.readInbound()).isNull();
		assertThat(sent()).isEmpty();
		assertThat(this.channel.isOpen()).isFalse();
	}

	@Test
	void aBodyThatFailsBeforeItsAnswerIsHandedOnAndTheConnectionClosesAfterTheAnswer() {
		this.channel.writeInbound(ascii("POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"));
		HttpRequest request = this.channel.readInbound();
		HttpContent failed = this.channel.readInbound();
		assertThat(request.decoderResult().isSuccess()).isTrue();
		assertThat(failed.decoderResult().isFailure()).isTrue();
		failed.release();
		assertThat(this.channel.isOpen()).isTrue();
		this.channel.writeOutbound(response(HttpResponseStatus.BAD_REQUEST));
		assertThat(sent()).startsWith("HTTP/1.1 400 ");
		assertThat(this.channel.isOpen()).isFalse();
	}

	@Test
	void aResponseToAnHttp10RequestSaysHttp11() {
		this.channel.writeInbound(ascii("GET /a HTTP/1.0\r\n\r\n"));
		ReferenceCountUtil.release(this.channel.readInbound());
		ReferenceCountUtil.release(this.channel.readInbound());
		FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_0, HttpResponseStatus.OK);
		response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
		this.channel.writeOutbound(response);
		assertThat(sent()).startsWith("HTTP/1.1 200 OK\r\n");
	}

	private static FullHttpResponse response(HttpResponseStatus status) {
		FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status);
		response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
		return response;
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

	private static ByteBuf ascii(String text) {
		return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
	}

}
