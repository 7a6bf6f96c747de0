package dev.capuchin.app.status;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.capuchin.core.spi.LogEvent;
import dev.capuchin.core.spi.Plugin;
import dev.capuchin.core.spi.Site;
import dev.capuchin.core.spi.Stage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * A data-plane plugin at {@link Stage#LOG}: the Micrometer counter
 * {@code capuchin.requests}, tagged {@code site} and {@code status}, of every answered
 * request, direct answers included. The counters are kept per site in an array indexed by
 * status, so a request costs a map lookup and an increment; the registry is asked only
 * the first time a site answers a status.
 */
public final class RequestMetrics implements Plugin {

	/** The plugin's name. */
	public static final String NAME = "request-metrics";

	/** The counter's name. */
	public static final String REQUESTS = "capuchin.requests";

	/** Statuses are 100 to 599; anything else is counted as 0. */
	private static final int STATUSES = 600;

	private final MeterRegistry registry;

	private final ConcurrentHashMap<String, Counter[]> counters = new ConcurrentHashMap<>();

	/**
	 * Create the plugin.
	 * @param registry where the counters are registered
	 */
	public RequestMetrics(MeterRegistry registry) {
		this.registry = Objects.requireNonNull(registry, "registry");
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public Set<Stage> stages() {
		return Set.of(Stage.LOG);
	}

	@Override
	public int order() {
		return Integer.MAX_VALUE - 1;
	}

	@Override
	public void onLog(LogEvent event) {
		Site site = event.site();
		String name = (site != null) ? site.name() : "";
		int status = event.status();
		if (status < 100 || status >= STATUSES) {
			status = 0;
		}
		Counter[] bySite = this.counters.get(name);
		if (bySite == null) {
			bySite = this.counters.computeIfAbsent(name, (key) -> new Counter[STATUSES]);
		}
		Counter counter = bySite[status];
		if (counter == null) {
			// a race stores the same counter twice: the registry returns one per name and
			// tags
			counter = Counter.builder(REQUESTS)
				.tag("site", name)
				.tag("status", Integer.toString(status))
				.description("Answered requests by site and status")
				.register(this.registry);
			bySite[status] = counter;
		}
		counter.increment();
	}

}
