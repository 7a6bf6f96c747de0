package dev.capuchin.plugin.cgi.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the header block a CGI script writes: any output is a response head that is safe
 * to send (a status code, no line breaks or hop-by-hop headers) or
 * {@link CgiHead.Malformed} (502), never another exception.
 */
class CgiHeadFuzzTests {

	private static final int LIMIT = 16 * 1024;

	@FuzzTest(maxDuration = "2m")
	void read(FuzzedDataProvider data) throws IOException {
		boolean nph = data.consumeBoolean();
		byte[] output = data.consumeRemainingAsBytes();
		CgiHead head;
		try {
			head = CgiHead.read(new ByteArrayInputStream(output), LIMIT, nph);
		}
		catch (CgiHead.Malformed ex) {
			assertThat(ex.getMessage()).isNotBlank();
			return;
		}
		assertThat(head.status()).isBetween(100, 599);
		for (Map.Entry<String, String> header : head.headers()) {
			assertThat(header.getKey()).isNotEmpty().doesNotContain("\r", "\n", ":", " ");
			assertThat(header.getValue()).doesNotContain("\r", "\n", "\0");
			assertThat(header.getKey().toLowerCase()).isNotIn("connection", "transfer-encoding", "keep-alive",
					"upgrade");
		}
		assertThat(head.rest().length).isLessThanOrEqualTo(output.length);
	}

}
