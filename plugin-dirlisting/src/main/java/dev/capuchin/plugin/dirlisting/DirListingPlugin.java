package dev.capuchin.plugin.dirlisting;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;

import dev.capuchin.core.spi.SiteFiles;
import dev.capuchin.core.spi.SiteFile;
import dev.capuchin.core.spi.HandleResult;
import dev.capuchin.core.spi.Site;
import dev.capuchin.core.spi.SiteTable;
import dev.capuchin.core.spi.Exchange;
import dev.capuchin.core.spi.Plugin;
import dev.capuchin.core.spi.Stage;
import dev.capuchin.plugin.dirlisting.internal.DirectoryReader;
import dev.capuchin.plugin.dirlisting.internal.Listing;
import dev.capuchin.plugin.dirlisting.internal.ListingBody;
import dev.capuchin.plugin.dirlisting.internal.ListingPage;
import dev.capuchin.plugin.dirlisting.internal.ListingRule;
import dev.capuchin.plugin.dirlisting.internal.ListingRules;
import dev.capuchin.plugin.dirlisting.internal.Theme;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Stage {@link Stage#HANDLE}: lists a directory that has no index file, where the
 * kernel's static files would answer 403, for the sites and locations that switch
 * listings on. HTML from the site's theme, JSON for {@code Accept: application/json},
 * plain text for {@code Accept: text/plain}; sorted by {@code ?sort=name|size|time} and
 * {@code ?order=asc|desc}, directories first.
 * <p>
 * The directory is resolved with the kernel's own {@link SiteFiles} rules, so it lists
 * nothing the kernel would refuse to serve; everything else (a file, a path without its
 * trailing slash, a directory with an index file, a refused or missing path, a method
 * other than GET and HEAD) is declined and left to the kernel. The entries are read on
 * the plugin's bounded scheduler and the page goes out in chunks, rendered as the
 * connection takes them.
 */
public final class DirListingPlugin implements Plugin {

	/** The plugin's name, as in {@code capuchin.plugins.dirlisting}. */
	public static final String NAME = "dirlisting";

	/**
	 * The plugin's order among HANDLE plugins: late, after handlers that claim whole
	 * locations (proxy, CGI, FastCGI), as a listing is the last answer before static
	 * files.
	 */
	public static final int ORDER = 1000;

	/** Directory reads waiting for a thread before new ones are refused with 503. */
	static final int QUEUED_READS = 1000;

	/** The stages the plugin uses: {@link Stage#HANDLE}. */
	public static final Set<Stage> STAGES = Set.of(Stage.HANDLE);

	private static final String PROPERTIES = "capuchin.plugins.dirlisting.";

	private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'none'; "
			+ "object-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; base-uri 'none'";

	private final DirListingSettings settings;

	private final Path base;

	private final Theme builtIn;

	private volatile Scheduler scheduler;

	/**
	 * Create the plugin; relative theme paths resolve against the working directory.
	 * @param settings the global defaults
	 */
	public DirListingPlugin(DirListingSettings settings) {
		this(settings, Path.of("").toAbsolutePath());
	}

	/**
	 * Create the plugin.
	 * @param settings the global defaults
	 * @param base the directory relative theme paths resolve against
	 */
	public DirListingPlugin(DirListingSettings settings, Path base) {
		this.settings = Objects.requireNonNull(settings, "settings");
		this.base = base.toAbsolutePath().normalize();
		this.builtIn = Theme.builtIn(DirListingSettings.DEFAULT_THEME);
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public Set<Stage> stages() {
		return STAGES;
	}

	@Override
	public int order() {
		return ORDER;
	}

	/**
	 * The global defaults.
	 * @return the settings
	 */
	public DirListingSettings settings() {
		return this.settings;
	}

	@Override
	public Object prepare(SiteTable sites) {
		ListingRule defaults = ListingRules.defaults(this.settings, this.builtIn, this.base, PROPERTIES);
		return ListingRules.prepare(sites, defaults, this.builtIn, this.base);
	}

	@Override
	public void start() {
		this.scheduler = Schedulers.newBoundedElastic(this.settings.threads(), QUEUED_READS, NAME);
	}

	@Override
	public void stop() {
		Scheduler running = this.scheduler;
		if (running != null) {
			this.scheduler = null;
			running.dispose();
		}
	}

	@Override
	public Mono<HandleResult> handle(Exchange exchange) {
		HttpMethod method = exchange.request().method();
		String path = exchange.path();
		if ((!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) || !path.endsWith("/")) {
			return DECLINE;
		}
		ListingRules rules = exchange.state(this);
		ListingRule rule = (rules != null) ? rules.rule(exchange.site(), exchange.location()) : null;
		if (rule == null || !rule.enabled() || rule.hidesAnySegment(path)) {
			return DECLINE;
		}
		// the same checks as the kernel's static files, at the same cost (a stat and a
		// realpath on the event loop); only reading the directory goes to the scheduler
		Site site = exchange.site();
		Path directory;
		try {
			SiteFile resolved = SiteFiles.resolve(site, path);
			if (!resolved.found() || !resolved.attributes().isDirectory()
					|| SiteFiles.index(site, resolved.file()) != null) {
				return DECLINE;
			}
			directory = resolved.file();
		}
		catch (IOException ex) {
			// the kernel meets the same failure and answers it
			return DECLINE;
		}
		Scheduler reader = this.scheduler;
		if (reader == null) {
			return Mono.error(new IllegalStateException("plugin dirlisting is not started"));
		}
		String query = exchange.query();
		SortKey key = Objects.requireNonNullElse(SortKey.of(parameter(query, "sort")), rule.sort());
		SortOrder order = Objects.requireNonNullElse(SortOrder.of(parameter(query, "order")), rule.order());
		ListingFormat format = ListingFormat.negotiate(exchange.request().requestHeaders().get(HttpHeaderNames.ACCEPT));
		return Mono.fromCallable(() -> DirectoryReader.read(site, directory, path, rule, key, order))
			.subscribeOn(reader)
			.flatMap((listing) -> send(exchange, format, new ListingPage(path, key, order, listing, rule)))
			.onErrorResume((ex) -> refusal(ex) != 0 && !exchange.response().hasSentHeaders(),
					(ex) -> exchange.sendError(refusal(ex)))
			.thenReturn(HandleResult.DONE);
	}

	private static Mono<Void> send(Exchange exchange, ListingFormat format, ListingPage page) {
		HttpServerResponse response = exchange.response();
		response.status(HttpResponseStatus.OK);
		response.header(HttpHeaderNames.CONTENT_TYPE, format.contentType());
		response.header(HttpHeaderNames.VARY, "Accept");
		response.header(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
		response.header("X-Content-Type-Options", "nosniff");
		if (format == ListingFormat.HTML) {
			response.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
		}
		Listing listing = page.listing();
		if (listing.truncated()) {
			response.header("Capuchin-Listing-Truncated", Integer.toString(page.rule().maxEntries()));
		}
		if (HttpVersion.HTTP_1_0.equals(exchange.request().version())) {
			// no chunked coding for HTTP/1.0 (RFC 9112, 6.1): the body ends where the
			// connection does
			response.chunkedTransfer(false);
			response.keepAlive(false);
			response.header(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
		}
		if (HttpMethod.HEAD.equals(exchange.request().method())) {
			return response.send();
		}
		long[] sent = new long[1];
		return response.send(ListingBody.render(format, page, response.alloc()).doOnNext((chunk) -> {
			sent[0] += chunk.readableBytes();
			exchange.bytesSent(sent[0]);
		})).then();
	}

	/** The status a failed directory read is answered with, or 0 for a 500. */
	private static int refusal(Throwable ex) {
		if (ex instanceof AccessDeniedException) {
			return 403;
		}
		if (ex instanceof NoSuchFileException || ex instanceof NotDirectoryException) {
			return 404;
		}
		if (ex instanceof RejectedExecutionException) {
			return 503;
		}
		return 0;
	}

	/** The raw value of a query parameter, or {@code null}. */
	static String parameter(String query, String name) {
		int at = 0;
		while (at < query.length()) {
			int end = query.indexOf('&', at);
			if (end < 0) {
				end = query.length();
			}
			if (query.startsWith(name, at) && at + name.length() < end && query.charAt(at + name.length()) == '=') {
				return query.substring(at + name.length() + 1, end);
			}
			at = end + 1;
		}
		return null;
	}

}
