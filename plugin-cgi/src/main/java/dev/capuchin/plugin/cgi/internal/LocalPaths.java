package dev.capuchin.plugin.cgi.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.capuchin.core.spi.Exchange;
import dev.capuchin.core.spi.SiteFile;
import dev.capuchin.core.spi.SiteFiles;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The target of a local redirect (RFC 3875 §6.2.2): a script's {@code Location: /path} is
 * served by Capuchin as a {@code GET} of that path, without a round trip to the client.
 * Its path is decoded and checked as strictly as a request's: no {@code .} or {@code ..}
 * segment, no empty segment, no encoded slash or NUL, UTF-8 only.
 */
final class LocalPaths {

	private LocalPaths() {
	}

	/**
	 * Decode and check a local redirect's path.
	 * @param raw the path as the script wrote it
	 * @return the decoded path, or {@code null} when it is unsafe or malformed
	 */
	static @Nullable String decode(String raw) {
		if (!raw.startsWith("/") || raw.startsWith("//")) {
			return null;
		}
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
		for (int i = 0; i < raw.length(); i++) {
			char c = raw.charAt(i);
			if (c == '%') {
				if (i + 2 >= raw.length()) {
					return null;
				}
				int value = Character.digit(raw.charAt(i + 1), 16) * 16 + Character.digit(raw.charAt(i + 2), 16);
				if (value < 0 || value == 0 || value == '/' || Character.digit(raw.charAt(i + 1), 16) < 0
						|| Character.digit(raw.charAt(i + 2), 16) < 0) {
					return null;
				}
				bytes.write(value);
				i += 2;
			}
			else if (c <= 0x20 || c >= 0x7f || c == '\\') {
				return null;
			}
			else {
				bytes.write(c);
			}
		}
		String path;
		try {
			path = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes.toByteArray()))
				.toString();
		}
		catch (CharacterCodingException ex) {
			return null;
		}
		for (String segment : path.substring(1).split("/", -1)) {
			if (segment.equals(".") || segment.equals("..")) {
				return null;
			}
		}
		return path.contains("//") ? null : path;
	}

	/**
	 * Send a plain file of the site as the answer to a local redirect, or 404.
	 * @param exchange the request
	 * @param path the decoded path
	 * @return completes when sent
	 * @throws IOException on an unexpected file-system failure
	 */
	static Mono<Void> sendFile(Exchange exchange, String path) throws IOException {
		SiteFile resolved = SiteFiles.resolve(exchange.site(), path);
		if (!resolved.found() || !resolved.attributes().isRegularFile()) {
			return exchange.sendError(resolved.found() ? 404 : resolved.status());
		}
		Path file = resolved.file();
		String type = Files.probeContentType(file);
		var response = exchange.response();
		response.status(HttpResponseStatus.OK);
		response.header(HttpHeaderNames.CONTENT_TYPE, (type != null) ? type : "application/octet-stream");
		response.header(HttpHeaderNames.CONTENT_LENGTH, Long.toString(resolved.attributes().size()));
		if (HttpMethod.HEAD.equals(exchange.request().method())) {
			return response.send();
		}
		exchange.bytesSent(resolved.attributes().size());
		return response.sendFile(file).then();
	}

}
