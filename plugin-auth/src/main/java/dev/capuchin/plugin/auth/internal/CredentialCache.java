package dev.capuchin.plugin.auth.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Objects;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

/**
 * Credentials verified recently, so that a client sending the same user and password on
 * every request pays one bcrypt check per {@code ttl} rather than one per request. The
 * cache never holds a password: an entry's key is the SHA-256 of the users' source (a
 * users file's path, or the digest of a block's inline users and their hashes), realm,
 * user and password, and its value the users' generation it was verified against, so an
 * entry stops counting as soon as the file is re-read or the inline users change.
 * <p>
 * A Caffeine cache bounded to {@code maxEntries} whose entries expire {@code ttl} after
 * they were written, so a flood of distinct valid credentials cannot grow it.
 */
public final class CredentialCache {

	private final Cache<Key, Long> entries;

	/**
	 * Create a cache on the system clock.
	 * @param ttl how long a verification counts; zero disables the cache
	 * @param maxEntries the most entries; zero disables the cache
	 */
	public CredentialCache(Duration ttl, int maxEntries) {
		this(ttl, maxEntries, Ticker.systemTicker());
	}

	/**
	 * Create a cache.
	 * @param ttl how long a verification counts; zero disables the cache
	 * @param maxEntries the most entries; zero disables the cache
	 * @param ticker the clock, in nanoseconds
	 */
	public CredentialCache(Duration ttl, int maxEntries, Ticker ticker) {
		Objects.requireNonNull(ticker, "ticker");
		this.entries = (ttl.isNegative() || ttl.isZero() || maxEntries <= 0) ? null
				: Caffeine.newBuilder().maximumSize(maxEntries).expireAfterWrite(ttl).ticker(ticker).build();
	}

	/**
	 * The key of a set of credentials.
	 * @param file the users' {@link UserSource#cacheName() source}
	 * @param realm the realm
	 * @param user the user name
	 * @param password the password
	 * @return the key
	 */
	public static Key key(String file, String realm, String user, String password) {
		MessageDigest digest;
		try {
			digest = MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
		for (String part : new String[] { file, realm, user }) {
			digest.update(part.getBytes(StandardCharsets.UTF_8));
			digest.update((byte) 0);
		}
		ByteBuffer hash = ByteBuffer.wrap(digest.digest(password.getBytes(StandardCharsets.UTF_8)));
		return new Key(hash.getLong(), hash.getLong(), hash.getLong(), hash.getLong());
	}

	/**
	 * Whether credentials were verified against the given users within the time-to-live.
	 * @param key the credentials' key
	 * @param generation the current users' generation
	 * @return {@code true} when they may be trusted without hashing
	 */
	public boolean contains(Key key, long generation) {
		if (this.entries == null) {
			return false;
		}
		Long verified = this.entries.getIfPresent(key);
		if (verified == null) {
			return false;
		}
		if (verified != generation) {
			this.entries.asMap().remove(key, verified);
			return false;
		}
		return true;
	}

	/**
	 * Remember credentials that were just verified.
	 * @param key the credentials' key
	 * @param generation the users' generation they were verified against
	 */
	public void put(Key key, long generation) {
		if (this.entries != null) {
			this.entries.put(key, generation);
		}
	}

	/**
	 * Forget every entry (a users file changed).
	 */
	public void clear() {
		if (this.entries != null) {
			this.entries.invalidateAll();
		}
	}

	/**
	 * The number of entries, after dropping expired and evicted ones.
	 * @return the size
	 */
	public long size() {
		if (this.entries == null) {
			return 0;
		}
		this.entries.cleanUp();
		return this.entries.estimatedSize();
	}

	/**
	 * The SHA-256 of one set of credentials.
	 *
	 * @param a bytes 0-7
	 * @param b bytes 8-15
	 * @param c bytes 16-23
	 * @param d bytes 24-31
	 */
	public record Key(long a, long b, long c, long d) {

	}

}
