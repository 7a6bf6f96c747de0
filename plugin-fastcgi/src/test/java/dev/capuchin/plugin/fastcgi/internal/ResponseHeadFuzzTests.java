package dev.capuchin.plugin.fastcgi.internal;

import java.util.Map;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the response head an application server sends over FastCGI: any head is safe to
 * send (a status code, no line breaks or hop-by-hop headers) or an
 * {@link IllegalArgumentException} (502), never another exception.
 */
class ResponseHeadFuzzTests {

	@FuzzTest(maxDuration = "2m")
	void parse(FuzzedDataProvider data) {
		ByteBuf buffer = Unpooled.wrappedBuffer(data.consumeRemainingAsBytes());
		int end = ResponseHead.end(buffer);
		if (end < 0) {
			return;
		}
		assertThat(end).isBetween(1, buffer.writerIndex());
		ResponseHead head;
		try {
			head = ResponseHead.parse(buffer.slice(0, end));
		}
		catch (IllegalArgumentException ex) {
			assertThat(ex.getMessage()).isNotBlank();
			return;
		}
		assertThat(head.status()).isBetween(100, 599);
		for (Map.Entry<String, String> header : head.headers()) {
			assertThat(header.getKey()).isNotEmpty().doesNotContain("\r", "\n", ":");
			assertThat(header.getValue()).doesNotContain("\r", "\n", "\0");
			assertThat(header.getKey().toLowerCase()).isNotIn("connection", "transfer-encoding", "keep-alive",
					"upgrade");
		}
	}

}
