package dev.capuchin.app.shared.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How the console writes times, durations and ratios; templates call it as
 * {@code @consoleFormat}.
 */
public final class ConsoleFormat {

	private final DateTimeFormatter time;

	private final Clock clock;

	/**
	 * Create the formatter.
	 * @param clock the clock whose zone times are shown in
	 */
	public ConsoleFormat(Clock clock) {
		this.clock = clock;
		ZoneId zone = clock.getZone();
		this.time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", Locale.ROOT).withZone(zone);
	}

	/**
	 * A point in time, in the server's zone.
	 * @param instant the instant, or {@code null}
	 * @return for example {@code 2026-11-27 10:15:02 UTC}
	 */
	public String time(Instant instant) {
		return (instant != null) ? this.time.format(instant) : "";
	}

	/**
	 * An instant as an ISO-8601 value for {@code <time datetime>}.
	 * @param instant the instant
	 * @return the ISO form
	 */
	public String iso(Instant instant) {
		return (instant != null) ? instant.toString() : "";
	}

	/**
	 * How long ago something happened, roughly.
	 * @param instant the instant
	 * @return for example {@code 3 min ago}
	 */
	public String ago(Instant instant) {
		Duration age = Duration.between(instant, this.clock.instant());
		if (age.toSeconds() < 60) {
			return "just now";
		}
		return duration(age) + " ago";
	}

	/**
	 * A duration in the two largest units.
	 * @param duration the duration
	 * @return for example {@code 2 d 4 h}, {@code 5 h 12 min}, {@code 42 s}
	 */
	public String duration(Duration duration) {
		long seconds = Math.max(0, duration.toSeconds());
		long days = seconds / 86_400;
		long hours = (seconds % 86_400) / 3600;
		long minutes = (seconds % 3600) / 60;
		if (days > 0) {
			return days + " d " + hours + " h";
		}
		if (hours > 0) {
			return hours + " h " + minutes + " min";
		}
		if (minutes > 0) {
			return minutes + " min " + (seconds % 60) + " s";
		}
		return seconds + " s";
	}

	/**
	 * A ratio as a percentage, or a dash when there is nothing to divide.
	 * @param part the part
	 * @param whole the whole
	 * @return for example {@code 97.5 %}
	 */
	public String percent(long part, long whole) {
		if (whole <= 0) {
			return "–";
		}
		return String.format(Locale.ROOT, "%.1f %%", 100.0 * part / whole);
	}

}
