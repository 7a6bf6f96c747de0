package dev.capuchin.app.status;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import dev.capuchin.core.spi.Site;
import dev.capuchin.core.spi.Exchange;
import dev.capuchin.core.spi.LogEvent;
import dev.capuchin.core.spi.Plugin;
import dev.capuchin.core.spi.Stage;

/**
 * A data-plane plugin at {@link Stage#LOG}, last of its stage: counts answered requests
 * per site and status class, direct answers included, (the console turns successive
 * counts into rates and per-minute answers) and keeps the most recent failed responses
 * (status 500 and above, or a plugin failure) and the most recent refusals (401, 403,
 * 404) for the dashboard. Per request it costs one map lookup and two {@link LongAdder}
 * increments; failures and refusals take a short lock.
 */
public final class RequestCounter implements Plugin {

	/** The plugin's name. */
	public static final String NAME = "request-counter";

	/** How many recent errors are kept. */
	public static final int RECENT_ERRORS = 50;

	/**
	 * The statuses kept as recent refusals: a client without access or a missing page.
	 */
	public static final Set<Integer> REFUSALS = Set.of(401, 403, 404);

	/** The longest request path kept with an error. */
	static final int MAX_PATH = 200;

	private final ConcurrentHashMap<String, SiteCounts> counts = new ConcurrentHashMap<>();

	private final Deque<RecentError> errors = new ArrayDeque<>(RECENT_ERRORS);

	private final Deque<RecentError> refusals = new ArrayDeque<>(RECENT_ERRORS);

	private final Clock clock;

	/**
	 * Create a counter.
	 * @param clock the clock that stamps errors
	 */
	public RequestCounter(Clock clock) {
		this.clock = Objects.requireNonNull(clock, "clock");
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
		return Integer.MAX_VALUE;
	}

	@Override
	public void onLog(LogEvent event) {
		int status = event.status();
		String name = count(event.site(), status);
		String plugin = event.attribute(Exchange.ERROR_PLUGIN);
		String reason = event.attribute(Exchange.ERROR_REASON);
		if (status >= 500 || plugin != null) {
			if (plugin != null && (reason == null || !reason.contains(plugin))) {
				reason = "plugin " + plugin + ((reason != null) ? ": " + reason : "");
			}
			record(this.errors, new RecentError(this.clock.instant(), name, event.method().name(), path(event.target()),
					status, (reason != null) ? reason : ""));
		}
		else if (REFUSALS.contains(status)) {
			record(this.refusals, new RecentError(this.clock.instant(), name, event.method().name(),
					path(event.target()), status, (reason != null) ? reason : ""));
		}
	}

	private String count(Site site, int status) {
		String name = (site != null) ? site.name() : "";
		SiteCounts count = this.counts.get(name);
		if (count == null) {
			count = this.counts.computeIfAbsent(name, (key) -> new SiteCounts());
		}
		count.total.increment();
		StatusClass kind = StatusClass.of(status);
		if (kind != null) {
			count.byClass[kind.ordinal()].increment();
		}
		return name;
	}

	private synchronized void record(Deque<RecentError> recent, RecentError error) {
		if (recent.size() == RECENT_ERRORS) {
			recent.removeLast();
		}
		recent.addFirst(error);
	}

	/**
	 * The requests completed so far, per site name.
	 * @return a snapshot of the counts
	 */
	public Map<String, Long> counts() {
		Map<String, Long> snapshot = new LinkedHashMap<>();
		this.counts.forEach((site, count) -> snapshot.put(site, count.total.sum()));
		return snapshot;
	}

	/**
	 * The requests completed so far, per site name and status class.
	 * @return a snapshot: per site, the counts indexed by {@link StatusClass#ordinal()}
	 */
	public Map<String, long[]> classCounts() {
		Map<String, long[]> snapshot = new LinkedHashMap<>();
		this.counts.forEach((site, count) -> {
			long[] classes = new long[StatusClass.values().length];
			for (int i = 0; i < classes.length; i++) {
				classes[i] = count.byClass[i].sum();
			}
			snapshot.put(site, classes);
		});
		return snapshot;
	}

	/**
	 * The most recent failed responses, newest first.
	 * @return at most {@link #RECENT_ERRORS} errors
	 */
	public synchronized List<RecentError> recentErrors() {
		return Collections.unmodifiableList(new ArrayList<>(this.errors));
	}

	/**
	 * The most recent 401, 403 and 404 answers, newest first.
	 * @return at most {@link #RECENT_ERRORS} refusals
	 */
	public synchronized List<RecentError> recentRefusals() {
		return Collections.unmodifiableList(new ArrayList<>(this.refusals));
	}

	/**
	 * The request target without its query (which may carry secrets), shortened.
	 */
	static String path(String uri) {
		if (uri == null) {
			return "";
		}
		int mark = uri.indexOf('?');
		String path = (mark >= 0) ? uri.substring(0, mark) : uri;
		return (path.length() > MAX_PATH) ? path.substring(0, MAX_PATH) + "…" : path;
	}

	/** One site's counters, created on its first request. */
	private static final class SiteCounts {

		private final LongAdder total = new LongAdder();

		private final LongAdder[] byClass = new LongAdder[StatusClass.values().length];

		SiteCounts() {
			for (int i = 0; i < this.byClass.length; i++) {
				this.byClass[i] = new LongAdder();
			}
		}

	}

	/**
	 * A failed response.
	 *
	 * @param time when the response completed
	 * @param site the site's name
	 * @param method the request method
	 * @param path the request path, without query
	 * @param status the response status
	 * @param reason why, from the kernel or the failing plugin, or {@code ""}
	 */
	public record RecentError(Instant time, String site, String method, String path, int status, String reason) {
	}

}
