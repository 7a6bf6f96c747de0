package dev.capuchin.plugin.logger.internal;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Log timestamps for one thread, formatted once per second and reused for every line of
 * that second: {@code 10/Oct/2000:13:55:36 -0700} (the common log format, without its
 * brackets) and {@code 2000-10-10T13:55:36.123-07:00} (ISO-8601 with milliseconds).
 */
public final class LogTime {

	private static final String[] MONTHS = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
			"Nov", "Dec" };

	private final ZoneId zone;

	private final LineBuilder scratch = new LineBuilder();

	private long second = Long.MIN_VALUE;

	private byte[] clf;

	private byte[] isoDateTime;

	private byte[] isoOffset;

	public LogTime(ZoneId zone) {
		this.zone = zone;
	}

	/**
	 * Append the common-log-format time of an instant.
	 * @param millis the instant, in milliseconds since the epoch
	 * @param out the line
	 */
	public void appendClf(long millis, LineBuilder out) {
		at(millis);
		out.append(this.clf);
	}

	/**
	 * Append the ISO-8601 time of an instant, with milliseconds and offset.
	 * @param millis the instant, in milliseconds since the epoch
	 * @param out the line
	 */
	public void appendIso(long millis, LineBuilder out) {
		at(millis);
		out.append(this.isoDateTime).append('.').appendPadded(Math.floorMod(millis, 1000L), 3).append(this.isoOffset);
	}

	private void at(long millis) {
		long epochSecond = Math.floorDiv(millis, 1000L);
		if (epochSecond == this.second) {
			return;
		}
		ZoneOffset offset = this.zone.getRules().getOffset(Instant.ofEpochSecond(epochSecond));
		LocalDateTime time = LocalDateTime.ofEpochSecond(epochSecond, 0, offset);
		int offsetMinutes = offset.getTotalSeconds() / 60;
		char sign = (offsetMinutes < 0) ? '-' : '+';
		int absolute = Math.abs(offsetMinutes);
		LineBuilder b = this.scratch;
		b.reset();
		b.appendPadded(time.getDayOfMonth(), 2).append('/').appendAscii(MONTHS[time.getMonthValue() - 1]).append('/');
		b.appendPadded(time.getYear(), 4).append(':').appendPadded(time.getHour(), 2).append(':');
		b.appendPadded(time.getMinute(), 2).append(':').appendPadded(time.getSecond(), 2).append(' ');
		b.append(sign).appendPadded(absolute / 60, 2).appendPadded(absolute % 60, 2);
		this.clf = copy(b);
		b.reset();
		b.appendPadded(time.getYear(), 4).append('-').appendPadded(time.getMonthValue(), 2).append('-');
		b.appendPadded(time.getDayOfMonth(), 2).append('T').appendPadded(time.getHour(), 2).append(':');
		b.appendPadded(time.getMinute(), 2).append(':').appendPadded(time.getSecond(), 2);
		this.isoDateTime = copy(b);
		b.reset();
		b.append(sign).appendPadded(absolute / 60, 2).append(':').appendPadded(absolute % 60, 2);
		this.isoOffset = copy(b);
		this.second = epochSecond;
	}

	private static byte[] copy(LineBuilder b) {
		byte[] bytes = new byte[b.length()];
		System.arraycopy(b.bytes(), 0, bytes, 0, bytes.length);
		return bytes;
	}

}
