package dev.capuchin.app.audit;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which audit entries to show: by who made them, by what they changed (a part of the
 * target, such as {@code shop} or {@code access rule}, in any case) and by time. Blank
 * parts match everything.
 *
 * @param actor the actor, exactly, or {@code null}
 * @param target a part of the target, or {@code null}
 * @param since the earliest time, inclusive, or {@code null}
 * @param until the latest time, exclusive, or {@code null}
 */
public record AuditFilter(String actor, String target, Instant since, Instant until) {

	/** The longest actor or target text accepted, longer than any stored one. */
	public static final int MAX_TEXT = 255;

	/** No filter. */
	public static final AuditFilter NONE = new AuditFilter(null, null, null, null);

	/**
	 * A filter from request parameters.
	 * @param actor the actor, or blank
	 * @param target a part of the target, or blank
	 * @param since an ISO-8601 instant or date (the day's start, UTC), or blank
	 * @param until an ISO-8601 instant or date (the day's end, UTC), or blank
	 * @return the filter
	 * @throws IllegalArgumentException naming the parameter at fault
	 */
	public static AuditFilter of(String actor, String target, String since, String until) {
		return new AuditFilter(text("actor", actor), text("target", target), time("since", since, false),
				time("until", until, true));
	}

	/**
	 * Whether the filter lets every entry through.
	 * @return {@code true} without any part set
	 */
	public boolean isEmpty() {
		return this.actor == null && this.target == null && this.since == null && this.until == null;
	}

	/** The SQL condition, with its arguments added to {@code args}. */
	String where(List<Object> args) {
		List<String> parts = new ArrayList<>();
		if (this.actor != null) {
			parts.add("actor = ?");
			args.add(this.actor);
		}
		if (this.target != null) {
			parts.add("lower(target) like ? escape '\\'");
			args.add("%"
					+ this.target.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
					+ "%");
		}
		if (this.since != null) {
			parts.add("changed_at >= ?");
			args.add(java.sql.Timestamp.from(this.since));
		}
		if (this.until != null) {
			parts.add("changed_at < ?");
			args.add(java.sql.Timestamp.from(this.until));
		}
		return parts.isEmpty() ? "1 = 1" : String.join(" and ", parts);
	}

	private static String text(String name, String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		if (value.length() > MAX_TEXT) {
			throw new IllegalArgumentException(name + ": longer than " + MAX_TEXT + " characters");
		}
		return value.trim();
	}

	private static Instant time(String name, String value, boolean end) {
		if (value == null || value.isBlank()) {
			return null;
		}
		String trimmed = value.trim();
		try {
			if (trimmed.length() == 10) {
				LocalDate day = LocalDate.parse(trimmed);
				return (end ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
			}
			return Instant.parse(trimmed);
		}
		catch (DateTimeParseException ex) {
			throw new IllegalArgumentException(name + ": '" + ((trimmed.length() <= 40) ? trimmed : "…")
					+ "' (expected: an instant like 2026-12-07T08:00:00Z or a date like 2026-12-07)");
		}
	}

}
