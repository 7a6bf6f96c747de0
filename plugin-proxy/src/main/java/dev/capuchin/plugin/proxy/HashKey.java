package dev.capuchin.plugin.proxy;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * What {@link BalancerKind#CONSISTENT_HASH} hashes: a request header, a cookie or the URI
 * (path and query). Written {@code header:X-User}, {@code cookie:session} or {@code uri}.
 *
 * @param source where the key comes from
 * @param name the header or cookie name, {@code null} for the URI
 */
public record HashKey(Source source, @Nullable String name) {

	/** The key of a consistent-hash upstream that names none. */
	public static final HashKey URI = new HashKey(Source.URI, null);

	public HashKey {
		Objects.requireNonNull(source, "source");
		if ((source == Source.URI) != (name == null)) {
			throw new IllegalArgumentException("hash: " + source + " (expected: header:NAME, cookie:NAME or uri)");
		}
		if (name != null && (name.isEmpty() || !name.chars().allMatch(HashKey::tokenChar))) {
			throw new IllegalArgumentException("hash: '" + name + "' (expected: a header or cookie name)");
		}
	}

	/**
	 * Parse the written form.
	 * @param text {@code header:NAME}, {@code cookie:NAME} or {@code uri}
	 * @return the key
	 */
	public static HashKey parse(String text) {
		if ("uri".equals(text)) {
			return URI;
		}
		if (text.startsWith("header:")) {
			return new HashKey(Source.HEADER, text.substring(7));
		}
		if (text.startsWith("cookie:")) {
			return new HashKey(Source.COOKIE, text.substring(7));
		}
		throw new IllegalArgumentException("'" + text + "' (expected: header:NAME, cookie:NAME or uri)");
	}

	private static boolean tokenChar(int c) {
		return c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
	}

	@Override
	public String toString() {
		return (this.source == Source.URI) ? "uri" : this.source.name().toLowerCase() + ":" + this.name;
	}

	/** Where a hash key comes from. */
	public enum Source {

		/** A request header; a request without it hashes the empty string. */
		HEADER,

		/** A cookie; a request without it hashes the empty string. */
		COOKIE,

		/** The request's path and query. */
		URI

	}

}
