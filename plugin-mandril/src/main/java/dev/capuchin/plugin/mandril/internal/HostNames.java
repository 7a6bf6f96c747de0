package dev.capuchin.plugin.mandril.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A site's own host names, for hotlink rules: whether a {@code Referer} points back at
 * the site. Its server names count (a leading {@code *.} matches any subdomain, as in
 * site matching), and so does the {@code Host} the request itself was sent to. Matching
 * compares regions of the header in place and allocates nothing.
 */
public final class HostNames {

	private final String[] exact;

	private final String[] suffixes;

	private HostNames(String[] exact, String[] suffixes) {
		this.exact = exact;
		this.suffixes = suffixes;
	}

	/**
	 * The names of a site.
	 * @param serverNames the site's server names, lower case
	 * @return the names
	 */
	public static HostNames of(List<String> serverNames) {
		List<String> exact = new ArrayList<>();
		List<String> suffixes = new ArrayList<>();
		for (String name : serverNames) {
			String lower = name.toLowerCase(Locale.ROOT);
			if (lower.startsWith("*.")) {
				suffixes.add(lower.substring(1));
			}
			else {
				exact.add(lower);
			}
		}
		return new HostNames(exact.toArray(String[]::new), suffixes.toArray(String[]::new));
	}

	/**
	 * Whether a referrer is this site.
	 * @param referer the {@code Referer} header
	 * @param requestHost the request's {@code Host} header, or {@code null}
	 * @return {@code true} when its host is one of the site's names or the request's
	 * host; {@code false} for a foreign or unreadable referrer
	 */
	public boolean isOwn(String referer, String requestHost) {
		int scheme = referer.indexOf("://");
		if (scheme <= 0) {
			return false;
		}
		int start = scheme + 3;
		int end = start;
		while (end < referer.length()) {
			char c = referer.charAt(end);
			if (c == '/' || c == '?' || c == '#') {
				break;
			}
			end++;
		}
		for (int i = end - 1; i >= start; i--) {
			if (referer.charAt(i) == '@') {
				start = i + 1;
				break;
			}
		}
		long host = hostRegion(referer, start, end);
		if (host < 0) {
			return false;
		}
		int from = (int) (host >>> 32);
		int to = (int) host;
		int length = to - from;
		for (String name : this.exact) {
			if (name.length() == length && referer.regionMatches(true, from, name, 0, length)) {
				return true;
			}
		}
		for (String suffix : this.suffixes) {
			if (length > suffix.length()
					&& referer.regionMatches(true, to - suffix.length(), suffix, 0, suffix.length())) {
				return true;
			}
		}
		if (requestHost != null) {
			long own = hostRegion(requestHost, 0, requestHost.length());
			if (own >= 0) {
				int ownFrom = (int) (own >>> 32);
				int ownLength = (int) own - ownFrom;
				return ownLength == length && referer.regionMatches(true, from, requestHost, ownFrom, length);
			}
		}
		return false;
	}

	/**
	 * The host part of {@code host[:port]} between two indexes, without a trailing dot,
	 * packed as {@code from << 32 | to}; -1 when empty.
	 */
	private static long hostRegion(String text, int start, int end) {
		int to = end;
		if (start < end && text.charAt(start) == '[') {
			int close = text.indexOf(']', start);
			if (close < 0 || close >= end) {
				return -1;
			}
			to = close + 1;
		}
		else {
			for (int i = start; i < end; i++) {
				if (text.charAt(i) == ':') {
					to = i;
					break;
				}
			}
			if (to > start && text.charAt(to - 1) == '.') {
				to--;
			}
		}
		return (to > start) ? ((long) start << 32) | to : -1;
	}

}
