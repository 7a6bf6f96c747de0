package dev.capuchin.core.spi;

/**
 * A site's error log, written on behalf of the plugins that learn of errors beside the
 * response: a CGI script's stderr, a FastCGI server's {@code FCGI_STDERR}, a script's
 * malformed output. A plugin that keeps the sites' error logs (the logger) implements it
 * beside {@link Plugin}; the kernel hands each {@link Exchange#logError(String)} to the
 * first such plugin in plugin order, and writes the line to the application log when
 * there is none or it has no error log for the site.
 */
public interface SiteErrorLog {

	/**
	 * Write one line to the error log of the exchange's site (or location). Called on any
	 * thread, also after the response ended; it must neither block nor throw: a line that
	 * cannot be buffered is dropped and counted.
	 * @param exchange the request the line is about
	 * @param message the line's text, without the time, client and site (the log adds
	 * them)
	 * @return {@code true} when the site has an error log here (the line is written,
	 * buffered, or dropped and counted); {@code false} when it has none, and the kernel
	 * writes the line to the application log instead
	 */
	boolean logError(Exchange exchange, String message);

}
