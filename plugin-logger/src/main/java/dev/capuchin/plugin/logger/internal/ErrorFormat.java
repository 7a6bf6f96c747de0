package dev.capuchin.plugin.logger.internal;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import dev.capuchin.core.spi.Exchange;
import dev.capuchin.core.spi.LogEvent;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * The error-log line of a 4xx or 5xx response:
 *
 * <pre>
 * [10/Oct/2000:13:55:36 -0700] [error] [client 192.0.2.1] site=shop 404 GET /x: not found
 * [10/Oct/2000:13:55:36 -0700] [error] [client 192.0.2.1] site=shop plugin=proxy 500 GET /api: plugin proxy failed at HANDLE: ...
 * </pre>
 *
 * The reason is {@link Exchange#ERROR_REASON} when the kernel or a plugin recorded one,
 * else the status's reason phrase in lower case; {@code plugin=} names the plugin whose
 * failure produced the response ({@link Exchange#ERROR_PLUGIN}). Every request-borne text
 * is escaped as in the access log, and the reason is cut at 2048 characters.
 */
public final class ErrorFormat {

	private static final byte[][] REASONS = new byte[600][];

	static {
		for (int status = 400; status < 600; status++) {
			REASONS[status] = HttpResponseStatus.valueOf(status)
				.reasonPhrase()
				.toLowerCase(Locale.ROOT)
				.getBytes(StandardCharsets.US_ASCII);
		}
	}

	private ErrorFormat() {
	}

	/**
	 * Format one error-log line, ending with a newline.
	 * @param event the answered request
	 * @param nowMillis the time of the line
	 * @param context the thread's formatting state
	 * @param out the line
	 */
	public static void format(LogEvent event, long nowMillis, FormatContext context, LineBuilder out) {
		int status = event.status();
		out.append('[');
		context.time().appendClf(nowMillis, out);
		out.appendAscii("] [error] [client ");
		context.appendClient(event.clientAddress(), false, out);
		out.appendAscii("] site=").appendEscaped(event.site().name());
		Object plugin = event.attribute(Exchange.ERROR_PLUGIN);
		if (plugin != null) {
			out.appendAscii(" plugin=").appendEscaped(plugin.toString());
		}
		out.append(' ').append(status).append(' ');
		out.appendEscaped(event.method().name()).append(' ');
		out.appendEscaped(event.target()).appendAscii(": ");
		Object reason = event.attribute(Exchange.ERROR_REASON);
		if (reason != null) {
			out.appendEscaped(reason.toString(), AccessFormat.MAX_REASON);
		}
		else if (status >= 400 && status < 600) {
			out.append(REASONS[status]);
		}
		else {
			out.appendAscii("status ").append(status);
		}
		out.append('\n');
	}

	/**
	 * Format the error-log line of a message a plugin wrote about a request (a script's
	 * stderr), ending with a newline:
	 *
	 * <pre>
	 * [10/Oct/2000:13:55:36 -0700] [error] [client 192.0.2.1] site=shop GET /cgi-bin/a.sh: cgi /cgi-bin/a.sh stderr: disk on fire
	 * </pre>
	 *
	 * The message is escaped and cut as a reason is.
	 * @param exchange the request
	 * @param message the message
	 * @param nowMillis the time of the line
	 * @param context the thread's formatting state
	 * @param out the line
	 */
	public static void formatMessage(Exchange exchange, String message, long nowMillis, FormatContext context,
			LineBuilder out) {
		out.append('[');
		context.time().appendClf(nowMillis, out);
		out.appendAscii("] [error] [client ");
		context.appendClient(exchange.clientAddress(), false, out);
		out.appendAscii("] site=").appendEscaped(exchange.site().name());
		out.append(' ').appendEscaped(exchange.request().method().name()).append(' ');
		out.appendEscaped(exchange.request().uri()).appendAscii(": ");
		out.appendEscaped(message, AccessFormat.MAX_REASON);
		out.append('\n');
	}

}
