package dev.capuchin.plugin.cgi.autoconfigure;

import dev.capuchin.plugin.cgi.CgiOutcome;
import dev.capuchin.plugin.cgi.CgiOutcomeListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The counter {@code capuchin.cgi.requests}, tagged {@code site} and {@code outcome}
 * ({@link CgiOutcome#tag()}): one count per CGI request when it ends.
 */
public final class CgiMetrics implements CgiOutcomeListener {

	/** The meter's name. */
	public static final String REQUESTS = "capuchin.cgi.requests";

	private final MeterRegistry registry;

	CgiMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void ended(String site, CgiOutcome outcome) {
		// the registry keeps one counter per tag set; the lookup is a map get
		Counter.builder(REQUESTS)
			.description("CGI requests by site and outcome")
			.tag("site", site)
			.tag("outcome", outcome.tag())
			.register(this.registry)
			.increment();
	}

}
