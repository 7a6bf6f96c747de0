package dev.capuchin.plugin.auth.internal;

/**
 * Where a {@code basic} location's users come from: a users file watched for changes
 * ({@link WatchedUsersFile}) or the users written in the block itself
 * ({@link InlineUsers}).
 */
public sealed interface UserSource permits WatchedUsersFile, InlineUsers {

	/**
	 * What identifies these users in the keys of verified credentials: the file's path,
	 * or a digest of every inline user name and hash.
	 * @return the name
	 */
	String cacheName();

	/**
	 * Whether {@link #current()} may be used without a check.
	 * @param now the time from {@link System#nanoTime()}
	 * @return {@code true} when no check is due
	 */
	boolean isFresh(long now);

	/**
	 * The users last read, without checking for a change.
	 * @return the users and their generation
	 */
	WatchedUsersFile.Loaded current();

	/**
	 * The users, after checking for a change when one is due. May block: call it off the
	 * event loops.
	 * @param now the time from {@link System#nanoTime()}
	 * @return the users and their generation
	 */
	WatchedUsersFile.Loaded refresh(long now);

}
