package dev.capuchin.plugin.auth.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * One password hash of a users file, in a scheme that is safe to keep: bcrypt
 * ({@code $2y$}, {@code $2a$}, {@code $2b$}: htpasswd {@code -B}) or {@code {SHA}}
 * (base64 SHA-1: htpasswd {@code -s} and Monkey's {@code mk_passwd}). Checking blocks
 * (bcrypt takes tens to hundreds of milliseconds): never on an event loop.
 */
public sealed interface PasswordHash {

	/**
	 * Whether a password matches, compared in constant time.
	 * @param password the password
	 * @return {@code true} on a match
	 */
	boolean matches(String password);

	/**
	 * Read an encoded hash.
	 * @param encoded the hash as in the users file
	 * @return the hash
	 * @throws IllegalArgumentException saying why a scheme is refused; never quoting the
	 * value
	 */
	static PasswordHash of(String encoded) {
		if (encoded.startsWith("$2a$") || encoded.startsWith("$2b$") || encoded.startsWith("$2y$")) {
			return Bcrypt.of(encoded);
		}
		if (encoded.startsWith("{SHA}")) {
			return Sha1.of(encoded);
		}
		if (encoded.startsWith("$apr1$")) {
			throw new IllegalArgumentException(
					"unsupported scheme $apr1$ (Apache MD5; expected: bcrypt $2y$, $2a$ or $2b$, or {SHA})");
		}
		if (encoded.startsWith("$") || encoded.startsWith("{")) {
			int end = encoded.indexOf(encoded.charAt(0) == '$' ? '$' : '}', 1);
			String scheme = (end > 0 && end < 16) ? encoded.substring(0, end + 1) : "unknown";
			throw new IllegalArgumentException(
					"unsupported scheme " + scheme + " (expected: bcrypt $2y$, $2a$ or $2b$, or {SHA})");
		}
		throw new IllegalArgumentException(
				"plaintext password or crypt(3) hash refused (expected: bcrypt $2y$, $2a$ or $2b$, or {SHA})");
	}

	/**
	 * A bcrypt hash, checked by Spring Security's encoder (which accepts {@code $2y$}).
	 */
	record Bcrypt(String encoded, int cost) implements PasswordHash {

		private static final Pattern FORM = Pattern.compile("\\$2[aby]\\$(\\d\\d)\\$[./0-9A-Za-z]{53}");

		private static final BCryptPasswordEncoder ENCODER = new BCryptPasswordEncoder();

		static Bcrypt of(String encoded) {
			Matcher matcher = FORM.matcher(encoded);
			if (!matcher.matches()) {
				throw new IllegalArgumentException("malformed bcrypt hash (expected: $2y$NN$ and 53 characters)");
			}
			int cost = Integer.parseInt(matcher.group(1));
			if (cost < 4 || cost > 31) {
				throw new IllegalArgumentException("bcrypt cost " + cost + " (expected: 4..31)");
			}
			return new Bcrypt(encoded, cost);
		}

		@Override
		public boolean matches(String password) {
			return ENCODER.matches(password, this.encoded);
		}

		@Override
		public String toString() {
			return "bcrypt(cost " + this.cost + ")";
		}

	}

	/** A {@code {SHA}} hash: base64 of the SHA-1 of the password's UTF-8 bytes. */
	record Sha1(byte[] digest) implements PasswordHash {

		static Sha1 of(String encoded) {
			byte[] digest;
			try {
				digest = Base64.getDecoder().decode(encoded.substring(5));
			}
			catch (IllegalArgumentException ex) {
				digest = new byte[0];
			}
			if (digest.length != 20) {
				throw new IllegalArgumentException("malformed {SHA} hash (expected: base64 of 20 bytes)");
			}
			return new Sha1(digest);
		}

		@Override
		public boolean matches(String password) {
			try {
				byte[] actual = MessageDigest.getInstance("SHA-1").digest(password.getBytes(StandardCharsets.UTF_8));
				return MessageDigest.isEqual(actual, this.digest);
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException("SHA-1 is not available", ex);
			}
		}

		@Override
		public String toString() {
			return "{SHA}";
		}

	}

}
