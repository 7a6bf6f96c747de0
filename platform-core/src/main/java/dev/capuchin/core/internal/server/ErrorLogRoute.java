package dev.capuchin.core.internal.server;

import dev.capuchin.core.spi.Exchange;
import dev.capuchin.core.spi.SiteErrorLog;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where {@link Exchange#logError(String)} goes: the first plugin that keeps sites' error
 * logs ({@link SiteErrorLog}), else (or for a site it keeps no error log for) the
 * application log at WARN, with the site's name. A failing plugin costs the line only.
 */
final class ErrorLogRoute {

	private static final Logger logger = LoggerFactory.getLogger("dev.capuchin.core.site.error");

	/** The longest message written to the application log; the rest is cut. */
	private static final int MAX_MESSAGE = 2048;

	private final @Nullable SiteErrorLog plugin;

	ErrorLogRoute(@Nullable SiteErrorLog plugin) {
		this.plugin = plugin;
	}

	void log(Exchange exchange, String message) {
		if (this.plugin != null) {
			try {
				if (this.plugin.logError(exchange, message)) {
					return;
				}
			}
			catch (RuntimeException ex) {
				logger.warn("site {}: error log failed: {}", exchange.site().name(), ex.toString());
			}
		}
		if (logger.isWarnEnabled()) {
			String cut = (message.length() > MAX_MESSAGE) ? message.substring(0, MAX_MESSAGE) + "..." : message;
			// a message may carry what a script or a client wrote: no line breaks into
			// the application log
			logger.warn("site {}: {}", exchange.site().name(), cut.replaceAll("\\p{Cntrl}", "?"));
		}
	}

}
