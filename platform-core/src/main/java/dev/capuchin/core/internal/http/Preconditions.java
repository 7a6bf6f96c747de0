package dev.capuchin.core.internal.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * Conditional requests for a static representation (RFC 9110 §13.2.2): evaluates
 * {@code If-Match}, {@code If-Unmodified-Since}, {@code If-None-Match},
 * {@code If-Modified-Since} in that order, and {@code If-Range} for a range request.
 */
public final class Preconditions {

	/** The outcome of evaluating the preconditions. */
	public enum Outcome {

		/** Serve the representation (or its ranges). */
		PROCEED,

		/** 304 Not Modified. */
		NOT_MODIFIED,

		/** 412 Precondition Failed. */
		FAILED

	}

	private Preconditions() {
	}

	/**
	 * Evaluate the preconditions of a GET or HEAD request.
	 * @param headers the request headers
	 * @param etag the representation's strong entity tag, quoted
	 * @param lastModified the representation's modification time in milliseconds, or
	 * {@code -1} when it has none: {@code If-Modified-Since} and
	 * {@code If-Unmodified-Since} are then ignored (RFC 9110, 13.1.3 and 13.1.4)
	 * @return the outcome
	 */
	public static Outcome evaluate(HttpHeaders headers, String etag, long lastModified) {
		String ifMatch = headers.get(HttpHeaderNames.IF_MATCH);
		if (ifMatch != null) {
			if (!matches(ifMatch, etag, false)) {
				return Outcome.FAILED;
			}
		}
		else {
			long unmodifiedSince = HttpDates.parse(headers.get(HttpHeaderNames.IF_UNMODIFIED_SINCE));
			if (lastModified >= 0 && unmodifiedSince >= 0 && seconds(lastModified) > seconds(unmodifiedSince)) {
				return Outcome.FAILED;
			}
		}
		String ifNoneMatch = headers.get(HttpHeaderNames.IF_NONE_MATCH);
		if (ifNoneMatch != null) {
			return matches(ifNoneMatch, etag, true) ? Outcome.NOT_MODIFIED : Outcome.PROCEED;
		}
		long modifiedSince = HttpDates.parse(headers.get(HttpHeaderNames.IF_MODIFIED_SINCE));
		if (lastModified >= 0 && modifiedSince >= 0 && seconds(lastModified) <= seconds(modifiedSince)) {
			return Outcome.NOT_MODIFIED;
		}
		return Outcome.PROCEED;
	}

	/**
	 * Whether a {@code Range} header may be honoured under {@code If-Range}: the
	 * validator must be the current strong entity tag or exactly the modification date.
	 * @param headers the request headers
	 * @param etag the strong entity tag, quoted
	 * @param lastModified the modification time in milliseconds, or {@code -1} when there
	 * is none (no date then matches)
	 * @return {@code true} when ranges apply
	 */
	public static boolean rangeApplies(HttpHeaders headers, String etag, long lastModified) {
		String ifRange = headers.get(HttpHeaderNames.IF_RANGE);
		if (ifRange == null) {
			return true;
		}
		String value = ifRange.trim();
		if (value.startsWith("\"") || value.startsWith("W/")) {
			return value.equals(etag);
		}
		long date = HttpDates.parse(value);
		return date >= 0 && lastModified >= 0 && seconds(date) == seconds(lastModified);
	}

	/**
	 * Whether an {@code If-Match}/{@code If-None-Match} list matches an entity tag.
	 * @param header the list, or {@code *}
	 * @param etag the current strong tag
	 * @param weak whether weak comparison applies (If-None-Match)
	 * @return {@code true} on a match
	 */
	static boolean matches(String header, String etag, boolean weak) {
		String value = header.trim();
		if (value.equals("*")) {
			return true;
		}
		for (String candidate : value.split(",")) {
			String tag = candidate.trim();
			if (tag.startsWith("W/")) {
				if (!weak) {
					continue;
				}
				tag = tag.substring(2);
			}
			if (tag.equals(etag)) {
				return true;
			}
		}
		return false;
	}

	private static long seconds(long millis) {
		return millis / 1000;
	}

}
