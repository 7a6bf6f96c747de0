package dev.capuchin.plugin.auth.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Credentials verified recently, so that a client sending the same user and password on
 * every request pays one bcrypt check per {@code ttl} rather than one per request. The
 * cache never holds a password: an entry's key is the SHA-256 of the users' source (a
 * users file's path, or the digest of a block's inline users and their hashes), realm,
 * user and password, and its value the users' generation it was verified against, so an
 * entry stops counting as soon as the file is re-read or the inline users change.
 * <p>
 * Bounded to {@code maxEntries}: when full, expired entries are dropped first, then
 * arbitrary ones, so a flood of distinct valid credentials cannot grow it.
 */
public final class CredentialCache {

	private final long ttlNanos;

	private final int maxEntries;

	private final Map<Key, Entry> entries = new ConcurrentHashMap<>();

	/**
	 * Create a cache.
	 * @param ttl how long a verification counts; zero disables the cache
	 * @param maxEntries the most entries; zero disables the cache
	 */
	public CredentialCache(Duration ttl, int maxEntries) {
		this.ttlNanos = ttl.toNanos();
		this.maxEntries = maxEntries;
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
	 * @param now the time from {@link System#nanoTime()}
	 * @return {@code true} when they may be trusted without hashing
	 */
	public boolean contains(Key key, long generation, long now) {
		Entry entry = this.entries.get(key);
		if (entry == null) {
			return false;
		}
		if (entry.generation() != generation || now - entry.expiresAt() >= 0) {
			this.entries.remove(key, entry);
			return false;
		}
		return true;
	}

	/**
	 * Remember credentials that were just verified.
	 * @param key the credentials' key
	 * @param generation the users' generation they were verified against
	 * @param now the time from {@link System#nanoTime()}
	 */
	public void put(Key key, long generation, long now) {
		if (this.ttlNanos <= 0 || this.maxEntries <= 0) {
			return;
		}
		if (this.entries.size() >= this.maxEntries && !this.entries.containsKey(key)) {
			makeRoom(now);
		}
		this.entries.put(key, new Entry(generation, now + this.ttlNanos));
	}

	/**
	 * Forget every entry (a users file changed).
	 */
	public void clear() {
		this.entries.clear();
	}

	/**
	 * The number of entries, expired ones included.
	 * @return the size
	 */
	public int size() {
		return this.entries.size();
	}

	private void makeRoom(long now) {
		this.entries.values().removeIf((entry) -> now - entry.expiresAt() >= 0);
		Iterator<Key> keys = this.entries.keySet().iterator();
		while (this.entries.size() >= this.maxEntries && keys.hasNext()) {
			keys.next();
			keys.remove();
		}
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

	private record Entry(long generation, long expiresAt) {

	}

}
