package dev.capuchin.core.internal.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import dev.capuchin.core.spi.Site;
import dev.capuchin.core.spi.Exchange;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Error responses: the site's own page for the status when it has one, a small built-in
 * page otherwise. Statuses that leave the request stream in doubt close the connection.
 */
public final class ErrorResponses {

	/**
	 * The largest custom error page served; bigger ones fall back to the built-in page.
	 */
	static final int MAX_ERROR_PAGE = 64 * 1024;

	private ErrorResponses() {
	}

	/**
	 * Send an error response for an exchange.
	 * @param exchange the exchange
	 * @param status the status code
	 * @return completion of the response
	 */
	public static Mono<Void> send(Exchange exchange, int status) {
		boolean head = HttpMethod.HEAD.equals(exchange.request().method());
		boolean fresh = !exchange.response().hasSentHeaders();
		Mono<Void> sent = send(exchange.response(), exchange.site(), status, head);
		if (fresh && !head) {
			// the page's length, for the access log
			exchange.bytesSent(exchange.response().responseHeaders().getInt(HttpHeaderNames.CONTENT_LENGTH, 0));
		}
		return sent;
	}

	/**
	 * Send an error response.
	 * @param response the response
	 * @param site the site whose error pages apply, or {@code null}
	 * @param status the status code
	 * @param head whether the request was HEAD (headers only)
	 * @return completion of the response
	 */
	public static Mono<Void> send(HttpServerResponse response, Site site, int status, boolean head) {
		if (response.hasSentHeaders()) {
			return Mono.empty();
		}
		HttpResponseStatus code = HttpResponseStatus.valueOf(status);
		byte[] body = customPage(site, status);
		String type = "text/html; charset=utf-8";
		if (body == null) {
			body = builtIn(code);
		}
		response.status(code);
		response.header(HttpHeaderNames.CONTENT_TYPE, type);
		response.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length));
		response.header(HttpHeaderNames.CACHE_CONTROL, "no-store");
		response.header("X-Content-Type-Options", "nosniff");
		if (closesConnection(status)) {
			response.header(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
			response.keepAlive(false);
		}
		if (head) {
			return response.send();
		}
		ByteBuf buffer = Unpooled.wrappedBuffer(body);
		return response.sendObject(buffer).then();
	}

	/**
	 * Whether an error leaves the connection unusable for another request.
	 * @param status the status
	 * @return {@code true} when the connection closes after the response
	 */
	public static boolean closesConnection(int status) {
		return switch (status) {
			case 400, 408, 411, 413, 414, 431, 501, 505 -> true;
			default -> false;
		};
	}

	private static byte[] customPage(Site site, int status) {
		if (site == null) {
			return null;
		}
		String page = site.errorPages().get(status);
		if (page == null) {
			return null;
		}
		String normalized = RequestPath.normalize(page);
		if (normalized == null) {
			return null;
		}
		Path file = site.documentRoot().resolve(normalized.substring(1));
		try {
			if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) > MAX_ERROR_PAGE) {
				return null;
			}
			try (InputStream in = Files.newInputStream(file)) {
				return in.readNBytes(MAX_ERROR_PAGE);
			}
		}
		catch (IOException ex) {
			return null;
		}
	}

	private static byte[] builtIn(HttpResponseStatus status) {
		String title = status.code() + " " + status.reasonPhrase();
		String html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + title
				+ "</title></head>\n<body style=\"font-family:system-ui,sans-serif;margin:3rem;color:#222\"><h1>"
				+ title + "</h1><hr><p>Capuchin</p></body></html>\n";
		return html.getBytes(StandardCharsets.UTF_8);
	}

}
