package dev.capuchin.plugin.auth.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import dev.capuchin.plugin.auth.UsersFile;

/**
 * The users written in a location's block ({@code users:}), fixed for the life of the
 * site table. Their cache name is a digest of every user name and hash, so a verified
 * credential only counts for exactly this set of users: a changed hash, an added or a
 * removed user makes another name, and nothing verified before is trusted.
 */
public final class InlineUsers implements UserSource {

	/**
	 * The generation of inline users: the cache name already tells one set from another.
	 */
	static final long GENERATION = 0;

	private final String cacheName;

	private final WatchedUsersFile.Loaded loaded;

	/**
	 * Hold checked users.
	 * @param users the users, as {@link UsersFile#of} read them
	 * @param hashes the encoded hash of each user, for the digest
	 */
	public InlineUsers(UsersFile users, Map<String, String> hashes) {
		this.cacheName = "users:" + digest(hashes);
		this.loaded = new WatchedUsersFile.Loaded(users, null, GENERATION);
	}

	@Override
	public String cacheName() {
		return this.cacheName;
	}

	@Override
	public boolean isFresh(long now) {
		return true;
	}

	@Override
	public WatchedUsersFile.Loaded current() {
		return this.loaded;
	}

	@Override
	public WatchedUsersFile.Loaded refresh(long now) {
		return this.loaded;
	}

	private static String digest(Map<String, String> hashes) {
		MessageDigest digest;
		try {
			digest = MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
		new TreeMap<>(hashes).forEach((user, hash) -> {
			digest.update(user.getBytes(StandardCharsets.UTF_8));
			digest.update((byte) 0);
			digest.update(hash.getBytes(StandardCharsets.UTF_8));
			digest.update((byte) '\n');
		});
		return HexFormat.of().formatHex(digest.digest());
	}

}
