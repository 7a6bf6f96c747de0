package dev.capuchin.plugin.logger.internal;

import java.time.ZoneId;
import java.time.ZonedDateTime;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogTimeTests {

	@Test
	void commonLogFormatTimeHasTheZonesOffset() {
		ZoneId zone = ZoneId.of("America/Los_Angeles");
		long millis = ZonedDateTime.of(2000, 10, 10, 13, 55, 36, 0, zone).toInstant().toEpochMilli();
		assertThat(clf(zone, millis)).isEqualTo("10/Oct/2000:13:55:36 -0700");
	}

	@Test
	void isoTimeHasMillisecondsAndTheOffset() {
		ZoneId zone = ZoneId.of("Asia/Kolkata");
		long millis = ZonedDateTime.of(2026, 1, 2, 3, 4, 5, 67_000_000, zone).toInstant().toEpochMilli();
		assertThat(iso(zone, millis)).isEqualTo("2026-01-02T03:04:05.067+05:30");
	}

	@Test
	void theOffsetFollowsDaylightSavingTime() {
		ZoneId zone = ZoneId.of("Europe/Berlin");
		LogTime time = new LogTime(zone);
		long winter = ZonedDateTime.of(2026, 1, 15, 12, 0, 0, 0, zone).toInstant().toEpochMilli();
		long summer = ZonedDateTime.of(2026, 7, 15, 12, 0, 0, 0, zone).toInstant().toEpochMilli();
		LineBuilder line = new LineBuilder();
		time.appendClf(winter, line);
		line.append(' ');
		time.appendClf(summer, line);
		assertThat(line.toString()).isEqualTo("15/Jan/2026:12:00:00 +0100 15/Jul/2026:12:00:00 +0200");
	}

	@Test
	void linesOfOneSecondShareTheCachedTextAndTheMillisecondsStillChange() {
		ZoneId zone = ZoneId.of("UTC");
		LogTime time = new LogTime(zone);
		long base = ZonedDateTime.of(2026, 11, 27, 8, 0, 0, 0, zone).toInstant().toEpochMilli();
		LineBuilder line = new LineBuilder();
		time.appendIso(base + 1, line);
		line.append(' ');
		time.appendIso(base + 999, line);
		line.append(' ');
		time.appendIso(base + 1000, line);
		assertThat(line.toString())
			.isEqualTo("2026-11-27T08:00:00.001+00:00 2026-11-27T08:00:00.999+00:00 2026-11-27T08:00:01.000+00:00");
	}

	private static String clf(ZoneId zone, long millis) {
		LineBuilder line = new LineBuilder();
		new LogTime(zone).appendClf(millis, line);
		return line.toString();
	}

	private static String iso(ZoneId zone, long millis) {
		LineBuilder line = new LineBuilder();
		new LogTime(zone).appendIso(millis, line);
		return line.toString();
	}

}
