package dev.capuchin.app.status;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.springframework.context.SmartLifecycle;

/**
 * Samples the {@link RequestCounter} at a fixed interval and keeps the last samples, so
 * the dashboard's chart of requests per second per site has a history as soon as it
 * opens. A rate is the difference of two successive counts over the time between them.
 */
public final class RequestRates implements SmartLifecycle {

	/** How often counts are sampled. */
	public static final Duration INTERVAL = Duration.ofSeconds(2);

	/** How many samples are kept: two minutes at the default interval. */
	public static final int HISTORY = 60;

	private final RequestCounter counter;

	private final Clock clock;

	private final Deque<Sample> samples = new ArrayDeque<>(HISTORY + 1);

	private ScheduledExecutorService scheduler;

	/**
	 * Create the sampler.
	 * @param counter the counter to sample
	 * @param clock the clock
	 */
	public RequestRates(RequestCounter counter, Clock clock) {
		this.counter = Objects.requireNonNull(counter, "counter");
		this.clock = Objects.requireNonNull(clock, "clock");
	}

	/**
	 * Take a sample now.
	 */
	public synchronized void sample() {
		this.samples.addLast(new Sample(this.clock.millis(), this.counter.counts()));
		while (this.samples.size() > HISTORY + 1) {
			this.samples.removeFirst();
		}
	}

	/**
	 * The rates between successive samples, oldest first.
	 * @return the series
	 */
	public synchronized Series series() {
		List<Sample> list = new ArrayList<>(this.samples);
		TreeSet<String> sites = new TreeSet<>();
		list.forEach((sample) -> sites.addAll(sample.counts().keySet()));
		sites.remove("");
		List<Long> times = new ArrayList<>();
		Map<String, List<Double>> rates = new LinkedHashMap<>();
		sites.forEach((site) -> rates.put(site, new ArrayList<>()));
		for (int i = 1; i < list.size(); i++) {
			Sample before = list.get(i - 1);
			Sample after = list.get(i);
			double seconds = Math.max(1, after.millis() - before.millis()) / 1000.0;
			times.add(after.millis() / 1000);
			for (String site : sites) {
				long delta = after.counts().getOrDefault(site, 0L) - before.counts().getOrDefault(site, 0L);
				rates.get(site).add(Math.round(Math.max(0, delta) / seconds * 100) / 100.0);
			}
		}
		return new Series(INTERVAL.toSeconds(), times, rates);
	}

	@Override
	public synchronized void start() {
		this.scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "capuchin-console-rates");
			thread.setDaemon(true);
			return thread;
		});
		sample();
		long millis = INTERVAL.toMillis();
		this.scheduler.scheduleAtFixedRate(this::sample, millis, millis, TimeUnit.MILLISECONDS);
	}

	@Override
	public synchronized void stop() {
		if (this.scheduler != null) {
			this.scheduler.shutdownNow();
			this.scheduler = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.scheduler != null;
	}

	private record Sample(long millis, Map<String, Long> counts) {
	}

	/**
	 * Requests per second per site: what {@code /console/metrics/requests} returns.
	 *
	 * @param interval seconds between samples
	 * @param times the end of each interval, in epoch seconds
	 * @param sites per site name, the rate in each interval
	 */
	public record Series(long interval, List<Long> times, Map<String, List<Double>> sites) {
	}

}
