package dev.capuchin.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.metrics.buffering.StartupTimeline.TimelineEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.metrics.StartupStep;

/**
 * A diagnostic of where a start goes: with the system property
 * {@value #PROPERTY}{@code =N} (1 to 1000) the application records Spring's start-up
 * steps (bean creation, auto-configuration processing, context refresh phases) and, once
 * it is ready, logs the N steps that took longest by their own time (without the steps
 * nested in them), with the bean or configuration they concern. Off by default: recording
 * costs memory and time. See docs/packaging.md, "Where a start goes".
 */
final class StartupReport implements ApplicationListener<ApplicationReadyEvent> {

	/**
	 * The system property that switches the report on and says how many steps it lists.
	 */
	static final String PROPERTY = "capuchin.startup-report";

	/** Steps recorded at most: a full start records about ten thousand. */
	private static final int CAPACITY = 50_000;

	private static final Logger logger = LoggerFactory.getLogger(StartupReport.class);

	private final BufferingApplicationStartup startup;

	private final int limit;

	private StartupReport(BufferingApplicationStartup startup, int limit) {
		this.startup = startup;
		this.limit = limit;
	}

	/**
	 * Records the application's start when {@value #PROPERTY} asks for it.
	 * @param application the application, before it runs
	 * @throws IllegalArgumentException when the property is not a number from 1 to 1000
	 */
	static void install(SpringApplication application) {
		String value = System.getProperty(PROPERTY);
		if (value == null) {
			return;
		}
		int limit;
		try {
			limit = Integer.parseInt(value.trim());
		}
		catch (NumberFormatException ex) {
			limit = -1;
		}
		if (limit < 1 || limit > 1000) {
			throw new IllegalArgumentException(PROPERTY + ": '" + value + "' (expected: a number from 1 to 1000)");
		}
		BufferingApplicationStartup startup = new BufferingApplicationStartup(CAPACITY);
		application.setApplicationStartup(startup);
		application.addListeners(new StartupReport(startup, limit));
	}

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		List<TimelineEvent> events = this.startup.drainBufferedTimeline().getEvents();
		logger.info("Start-up steps recorded: {}; the {} slowest by their own time:", events.size(), this.limit);
		for (String line : slowest(events, this.limit)) {
			logger.info(line);
		}
	}

	/**
	 * The slowest steps by their own time (their duration less that of the steps nested
	 * in them), as lines.
	 * @param events the recorded steps
	 * @param limit how many lines
	 * @return the lines, slowest first
	 */
	static List<String> slowest(List<TimelineEvent> events, int limit) {
		Map<Long, Duration> nested = new HashMap<>();
		for (TimelineEvent event : events) {
			Long parent = event.getStartupStep().getParentId();
			if (parent != null) {
				nested.merge(parent, event.getDuration(), Duration::plus);
			}
		}
		List<String> lines = new ArrayList<>();
		events.stream()
			.sorted(Comparator.comparing((TimelineEvent event) -> own(event, nested)).reversed())
			.limit(limit)
			.forEach((event) -> lines.add(line(event, own(event, nested))));
		return lines;
	}

	private static Duration own(TimelineEvent event, Map<Long, Duration> nested) {
		return event.getDuration().minus(nested.getOrDefault(event.getStartupStep().getId(), Duration.ZERO));
	}

	private static String line(TimelineEvent event, Duration own) {
		StartupStep step = event.getStartupStep();
		StringBuilder line = new StringBuilder();
		line.append(String.format("%6d ms own, %6d ms in all: %s", own.toMillis(), event.getDuration().toMillis(),
				step.getName()));
		for (StartupStep.Tag tag : step.getTags()) {
			line.append(' ').append(tag.getKey()).append('=').append(tag.getValue());
		}
		return line.toString();
	}

}
