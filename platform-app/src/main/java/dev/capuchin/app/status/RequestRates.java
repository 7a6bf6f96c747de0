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
 * the dashboard's charts of requests per second per site, and of answers per site by
 * status class, have a history as soon as they open. A rate is the difference of two
 * successive counts over the time between them.
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
		this.samples.addLast(new Sample(this.clock.millis(), this.counter.counts(), this.counter.classCounts()));
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
		Map<String, Map<String, List<Long>>> answers = new LinkedHashMap<>();
		for (String site : sites) {
			rates.put(site, new ArrayList<>());
			Map<String, List<Long>> classes = new LinkedHashMap<>();
			for (StatusClass kind : StatusClass.values()) {
				classes.put(kind.label(), new ArrayList<>());
			}
			answers.put(site, classes);
		}
		for (int i = 1; i < list.size(); i++) {
			Sample before = list.get(i - 1);
			Sample after = list.get(i);
			double seconds = Math.max(1, after.millis() - before.millis()) / 1000.0;
			times.add(after.millis() / 1000);
			for (String site : sites) {
				long delta = after.counts().getOrDefault(site, 0L) - before.counts().getOrDefault(site, 0L);
				rates.get(site).add(Math.round(Math.max(0, delta) / seconds * 100) / 100.0);
				long[] from = before.classes().get(site);
				long[] to = after.classes().get(site);
				for (StatusClass kind : StatusClass.values()) {
					long count = ((to != null) ? to[kind.ordinal()] : 0) - ((from != null) ? from[kind.ordinal()] : 0);
					answers.get(site).get(kind.label()).add(Math.max(0, count));
				}
			}
		}
		return new Series(INTERVAL.toSeconds(), times, rates, answers);
	}

	/**
	 * The answers per site and status class over the samples kept (the last two minutes),
	 * busiest site first.
	 * @return the totals
	 */
	public synchronized Answers answers() {
		List<Sample> list = new ArrayList<>(this.samples);
		if (list.size() < 2) {
			return new Answers(0, List.of());
		}
		Sample first = list.get(0);
		Sample last = list.get(list.size() - 1);
		List<SiteAnswers> sites = new ArrayList<>();
		last.classes().forEach((site, to) -> {
			if (site.isEmpty()) {
				return;
			}
			long[] from = first.classes().get(site);
			long[] counts = new long[to.length];
			for (int i = 0; i < to.length; i++) {
				counts[i] = Math.max(0, to[i] - ((from != null) ? from[i] : 0));
			}
			SiteAnswers answers = new SiteAnswers(site, counts[StatusClass.SUCCESS.ordinal()],
					counts[StatusClass.REDIRECTION.ordinal()], counts[StatusClass.CLIENT_ERROR.ordinal()],
					counts[StatusClass.SERVER_ERROR.ordinal()]);
			if (answers.total() > 0) {
				sites.add(answers);
			}
		});
		sites.sort(
				(a, b) -> (a.total() != b.total()) ? Long.compare(b.total(), a.total()) : a.site().compareTo(b.site()));
		return new Answers(Math.max(0, last.millis() - first.millis()) / 1000, sites);
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

	private record Sample(long millis, Map<String, Long> counts, Map<String, long[]> classes) {
	}

	/**
	 * Requests per second per site, and answers per site and status class: what
	 * {@code /console/metrics/requests} returns.
	 *
	 * @param interval seconds between samples
	 * @param times the end of each interval, in epoch seconds
	 * @param sites per site name, the rate in each interval
	 * @param answers per site name and status class ({@code 2xx} …), the answers in each
	 * interval
	 */
	public record Series(long interval, List<Long> times, Map<String, List<Double>> sites,
			Map<String, Map<String, List<Long>>> answers) {
	}

	/**
	 * The answers of the sites over a span.
	 *
	 * @param seconds how long the span is
	 * @param sites the sites that answered in it, busiest first
	 */
	public record Answers(long seconds, List<SiteAnswers> sites) {

		/**
		 * All sites' answers of a class.
		 * @param kind the class
		 * @return the sum
		 */
		public long total(StatusClass kind) {
			return this.sites.stream().mapToLong((site) -> site.count(kind)).sum();
		}

		/**
		 * All sites' answers.
		 * @return the sum
		 */
		public long total() {
			return this.sites.stream().mapToLong(SiteAnswers::total).sum();
		}

		/**
		 * The chart in one sentence, for those who do not see it.
		 * @return for example
		 * {@code In the last 2 minutes: 120 answers (110 2xx, 0 3xx, 10
		 * 4xx, 0 5xx); busiest site shop with 100.}
		 */
		public String summary() {
			String span = (this.seconds >= 90) ? "the last " + Math.round(this.seconds / 60.0) + " minutes"
					: "the last " + this.seconds + " seconds";
			if (this.sites.isEmpty()) {
				return "In " + span + ": no answers.";
			}
			StringBuilder text = new StringBuilder("In ").append(span)
				.append(": ")
				.append(total())
				.append(" answers (");
			for (StatusClass kind : StatusClass.values()) {
				text.append((kind.ordinal() > 0) ? ", " : "").append(total(kind)).append(' ').append(kind.label());
			}
			SiteAnswers busiest = this.sites.get(0);
			text.append("); busiest site ").append(busiest.site()).append(" with ").append(busiest.total());
			long failing = this.sites.stream().filter((site) -> site.serverError() > 0).count();
			if (failing > 0) {
				text.append("; ").append(failing).append((failing == 1) ? " site" : " sites").append(" answered 5xx");
			}
			return text.append('.').toString();
		}

	}

	/**
	 * One site's answers by status class over a span.
	 *
	 * @param site the site's name
	 * @param success 2xx answers
	 * @param redirection 3xx answers
	 * @param clientError 4xx answers
	 * @param serverError 5xx answers
	 */
	public record SiteAnswers(String site, long success, long redirection, long clientError, long serverError) {

		/**
		 * The answers of a class.
		 * @param kind the class
		 * @return the count
		 */
		public long count(StatusClass kind) {
			return switch (kind) {
				case SUCCESS -> this.success;
				case REDIRECTION -> this.redirection;
				case CLIENT_ERROR -> this.clientError;
				case SERVER_ERROR -> this.serverError;
			};
		}

		/**
		 * The answers of every class.
		 * @return the sum
		 */
		public long total() {
			return this.success + this.redirection + this.clientError + this.serverError;
		}

	}

}
