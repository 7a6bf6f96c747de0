package dev.capuchin.plugin.auth;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;

import dev.capuchin.core.spi.Exchange;
import dev.capuchin.plugin.auth.internal.BasicCredentials;
import dev.capuchin.plugin.auth.internal.BasicLocation;
import dev.capuchin.plugin.auth.internal.Challenges;
import dev.capuchin.plugin.auth.internal.CredentialCache;
import dev.capuchin.plugin.auth.internal.InlineUsers;
import dev.capuchin.plugin.auth.internal.WatchedUsersFile;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * {@code mode: basic}: HTTP Basic authentication (RFC 7617) against an htpasswd users
 * file, the location block's {@code users-file}, or against the block's own
 * {@code users}, a mapping of user names to hashes (exactly one of the two).
 * <p>
 * On the event loop it only decodes the header and, when the file was checked within the
 * last second, looks the credentials up in the cache of recent verifications. Everything
 * else (comparing the file with what was read, re-reading it, the bcrypt or SHA-1 check)
 * runs on the plugin's bounded hashing scheduler; when that is saturated the request gets
 * 503 rather than waiting without bound.
 */
public final class BasicAuthMode implements AuthMode {

	/** The mode's name. */
	public static final String NAME = "basic";

	/**
	 * The mode's own key: the users file, absolute or relative to the working directory.
	 */
	public static final String USERS_FILE = "users-file";

	/**
	 * The mode's other key: the users themselves, a mapping of user names to hashes in
	 * the forms a users file accepts.
	 */
	public static final String USERS = "users";

	/**
	 * The realm whose users a location's {@code auth:} block leaves to the control plane:
	 * a Basic block (no other mode named, by {@code mode:} or by a mode's own key) with a
	 * {@code realm} and neither {@value #USERS_FILE} nor {@value #USERS}.
	 * @param block the location's {@code auth:} block
	 * @return the realm's name, or {@code null} when the users come from elsewhere or the
	 * block is another mode's
	 */
	public static @Nullable String storedRealm(Map<?, ?> block) {
		Object mode = block.get("mode");
		if ((mode != null && !NAME.equals(mode)) || block.containsKey(BearerAuthMode.NAME)) {
			return null;
		}
		if (block.containsKey(USERS_FILE) || block.containsKey(USERS)) {
			return null;
		}
		return (block.get("realm") instanceof String realm) ? realm : null;
	}

	private final Scheduler scheduler;

	private final CredentialCache cache;

	private final Path base;

	private final Duration checkInterval;

	private final Map<Path, WatchedUsersFile> files = new ConcurrentHashMap<>();

	/**
	 * Create the mode.
	 * @param settings the plugin's settings (cache size and time-to-live)
	 * @param scheduler the bounded scheduler for file checks and hashing
	 */
	public BasicAuthMode(AuthSettings settings, Scheduler scheduler) {
		this(settings, scheduler, Path.of("").toAbsolutePath(), WatchedUsersFile.CHECK_INTERVAL);
	}

	BasicAuthMode(AuthSettings settings, Scheduler scheduler, Path base, Duration checkInterval) {
		this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
		this.cache = new CredentialCache(settings.cacheTtl(), settings.cacheSize());
		this.base = base;
		this.checkInterval = checkInterval;
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public String scheme() {
		return "Basic";
	}

	@Override
	public Set<String> keys() {
		return Set.of(USERS_FILE, USERS);
	}

	/**
	 * Read the users of a location: its users file (one watcher per distinct file, shared
	 * by the locations and tables that name it) or its inline {@code users}.
	 */
	@Override
	public Object compile(String field, Map<String, Object> block, String realm) {
		Object file = block.get(USERS_FILE);
		Object inline = block.get(USERS);
		if (file != null && inline != null) {
			throw new IllegalArgumentException(field + "." + USERS
					+ ": not allowed beside users-file (expected: exactly one of users-file and users)");
		}
		if (inline != null) {
			return new BasicLocation(inline(field + "." + USERS, inline), Challenges.basic(realm));
		}
		if (file == null) {
			throw new IllegalArgumentException(field + "." + USERS_FILE
					+ ": missing (expected: the path of an htpasswd users file, or users: a mapping of user names to hashes)");
		}
		if (!(file instanceof String name) || name.isBlank()) {
			throw new IllegalArgumentException(field + "." + USERS_FILE + ": '" + file + "' (expected: a path)");
		}
		Path path = this.base.resolve(name).toAbsolutePath().normalize();
		WatchedUsersFile users = this.files.computeIfAbsent(path,
				(watched) -> new WatchedUsersFile(watched, this.checkInterval, this.cache::clear));
		try {
			users.prepare();
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(field + "." + USERS_FILE + ": " + ex.getMessage(), ex);
		}
		return new BasicLocation(users, Challenges.basic(realm));
	}

	private static InlineUsers inline(String field, Object raw) {
		if (!(raw instanceof Map<?, ?> entries)) {
			throw new IllegalArgumentException(field + ": expected a mapping of user names to password hashes");
		}
		UsersFile users = UsersFile.of(field, entries);
		Map<String, String> hashes = new LinkedHashMap<>();
		entries.forEach((user, hash) -> hashes.put((String) user, ((String) hash).strip()));
		return new InlineUsers(users, hashes);
	}

	@Override
	public AuthResult immediate(Exchange exchange, LocationAuth auth) {
		BasicLocation basic = auth.modeSettings(BasicLocation.class);
		String authorization = exchange.request().requestHeaders().get(HttpHeaderNames.AUTHORIZATION);
		if (authorization == null || !BasicCredentials.isBasic(authorization)) {
			return AuthResult.missing(basic.challenge());
		}
		BasicCredentials credentials;
		try {
			credentials = BasicCredentials.parse(authorization);
		}
		catch (IllegalArgumentException ex) {
			return AuthResult.failed(basic.challenge(), "malformed Basic credentials: " + ex.getMessage());
		}
		CredentialCache.Key key = key(auth, basic, credentials);
		long now = System.nanoTime();
		if (basic.users().isFresh(now) && this.cache.contains(key, basic.users().current().generation())) {
			return AuthResult.authenticated(credentials.user());
		}
		return null;
	}

	@Override
	public Mono<AuthResult> authenticate(Exchange exchange, LocationAuth auth) {
		BasicLocation basic = auth.modeSettings(BasicLocation.class);
		BasicCredentials credentials = BasicCredentials
			.parse(exchange.request().requestHeaders().get(HttpHeaderNames.AUTHORIZATION));
		CredentialCache.Key key = key(auth, basic, credentials);
		return Mono.fromCallable(() -> verify(basic, credentials, key))
			.subscribeOn(this.scheduler)
			.onErrorResume(RejectedExecutionException.class,
					(ex) -> Mono.just(AuthResult.unavailable("every hashing thread is busy and the queue is full")));
	}

	private static CredentialCache.Key key(LocationAuth auth, BasicLocation basic, BasicCredentials credentials) {
		return CredentialCache.key(basic.users().cacheName(), auth.realm(), credentials.user(), credentials.password());
	}

	private AuthResult verify(BasicLocation basic, BasicCredentials credentials, CredentialCache.Key key) {
		long now = System.nanoTime();
		WatchedUsersFile.Loaded loaded = basic.users().refresh(now);
		if (this.cache.contains(key, loaded.generation())) {
			return AuthResult.authenticated(credentials.user());
		}
		if (!loaded.users().verify(credentials.user(), credentials.password())) {
			String reason = loaded.users().contains(credentials.user()) ? "wrong password for user " : "unknown user ";
			return AuthResult.failed(basic.challenge(), reason + credentials.user());
		}
		this.cache.put(key, loaded.generation());
		return AuthResult.authenticated(credentials.user());
	}

	/**
	 * The verified credentials currently cached, for tests and metrics.
	 * @return the number of entries
	 */
	long cachedCredentials() {
		return this.cache.size();
	}

}
