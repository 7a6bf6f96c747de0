package dev.capuchin.app.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;

/**
 * Limits password guessing on the control plane: one instance serves every place a
 * password is checked (console sign-in, HTTP Basic on the API and Actuator, identity
 * sign-in), through {@link ThrottledAuthenticationManager}.
 * <ul>
 * <li><b>Per account name</b>, growing delays: the first {@code freeFailures} failures
 * cost nothing, each further one locks the name for {@code firstDelay}, then twice that,
 * and so on up to {@code maxDelay}. A name's failures are forgotten {@code window} after
 * its last failure (or when its lock ends, if later), and at once on a success. This
 * stops guessing one account from many addresses while a second account at the same
 * address still signs in.</li>
 * <li><b>Per client address</b>, a cap: after {@code addressMaxFailures} failures within
 * {@code window} of its first failure, the address is locked until the window ends,
 * whatever the name. This stops guessing many accounts from one address. A success does
 * not clear it, so one valid account cannot clear the way for guessing others.</li>
 * </ul>
 * Memory is bounded: each table is a Caffeine cache of at most {@code maxTracked} keys
 * that expire on their own. Time comes from a {@link Clock}, so tests move it without
 * sleeping.
 */
public final class PasswordThrottle {

	/** Failures per account name that cost nothing, by default. */
	public static final int DEFAULT_FREE_FAILURES = 5;

	/** The lock after the first failure past the free ones, by default. */
	public static final Duration DEFAULT_FIRST_DELAY = Duration.ofSeconds(1);

	/** The longest lock of an account name, by default. */
	public static final Duration DEFAULT_MAX_DELAY = Duration.ofMinutes(15);

	/** Failures from one address within the window before it is locked, by default. */
	public static final int DEFAULT_ADDRESS_MAX_FAILURES = 30;

	/** How long failures are remembered, by default. */
	public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(15);

	/** Addresses and names tracked at most, each, by default. */
	public static final int DEFAULT_MAX_TRACKED = 10_000;

	private static final int MAX_NAME_LENGTH = 64;

	private final Settings settings;

	private final Clock clock;

	private final Cache<String, Failures> byName;

	private final Cache<String, Failures> byAddress;

	/**
	 * Create a throttle on the system clock.
	 * @param settings the limits
	 */
	public PasswordThrottle(Settings settings) {
		this(settings, Clock.systemUTC());
	}

	/**
	 * Create a throttle.
	 * @param settings the limits
	 * @param clock the source of time
	 */
	public PasswordThrottle(Settings settings, Clock clock) {
		this.settings = Objects.requireNonNull(settings, "settings");
		this.clock = Objects.requireNonNull(clock, "clock");
		Ticker ticker = () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
		this.byName = table(settings.maxTracked(), ticker);
		this.byAddress = table(settings.maxTracked(), ticker);
	}

	private static Cache<String, Failures> table(int maxTracked, Ticker ticker) {
		return Caffeine.newBuilder()
			.maximumSize(maxTracked)
			.expireAfter(Expiry.writing((String key, Failures failures) -> failures.keep()))
			.ticker(ticker)
			// evict on the calling thread: the bound holds as soon as a failure is
			// counted
			.executor(Runnable::run)
			.build();
	}

	/**
	 * How long a password check from this address for this name is still refused.
	 * @param address the client address, or {@code null}
	 * @param username the submitted name, or {@code null}
	 * @return the time left, or {@link Duration#ZERO} when the check may go on
	 */
	public Duration refusedFor(String address, String username) {
		long now = this.clock.millis();
		String name = name(username);
		Failures byName = (name != null) ? this.byName.getIfPresent(name) : null;
		Failures byAddress = (address != null) ? this.byAddress.getIfPresent(address) : null;
		long left = Math.max(left(byName, now), left(byAddress, now));
		return Duration.ofMillis(left);
	}

	/**
	 * Record a wrong password.
	 * @param address the client address, or {@code null}
	 * @param username the submitted name, or {@code null}
	 */
	public void failed(String address, String username) {
		long now = this.clock.millis();
		String name = name(username);
		if (name != null) {
			this.byName.asMap().compute(name, (key, previous) -> nameFailed(previous, now));
		}
		if (address != null) {
			this.byAddress.asMap().compute(address, (key, previous) -> addressFailed(previous, now));
		}
	}

	/**
	 * Forget the failures of a name whose password was right. The address keeps its
	 * count.
	 * @param username the name
	 */
	public void succeeded(String username) {
		String name = name(username);
		if (name != null) {
			this.byName.invalidate(name);
		}
	}

	/**
	 * The names and addresses locked now, longest lock first.
	 * @return the locks
	 */
	public List<Lock> locks() {
		long now = this.clock.millis();
		List<Lock> locks = new ArrayList<>();
		this.byName.asMap().forEach((key, failures) -> add(locks, Lock.Kind.ACCOUNT, key, failures, now));
		this.byAddress.asMap().forEach((key, failures) -> add(locks, Lock.Kind.ADDRESS, key, failures, now));
		locks.sort(Comparator.comparing(Lock::until).reversed().thenComparing(Lock::key));
		return locks;
	}

	/**
	 * Forget the failures of a name or an address, which ends its lock.
	 * @param kind what the key is
	 * @param key the name or address
	 * @return whether anything was tracked for it
	 */
	public boolean clear(Lock.Kind kind, String key) {
		Objects.requireNonNull(kind, "kind");
		String normalized = (kind == Lock.Kind.ACCOUNT) ? name(key) : key;
		if (normalized == null) {
			return false;
		}
		Cache<String, Failures> table = (kind == Lock.Kind.ACCOUNT) ? this.byName : this.byAddress;
		return table.asMap().remove(normalized) != null;
	}

	/**
	 * How many addresses and names are tracked.
	 * @return the count
	 */
	long tracked() {
		this.byAddress.cleanUp();
		this.byName.cleanUp();
		return this.byAddress.estimatedSize() + this.byName.estimatedSize();
	}

	private Failures nameFailed(Failures previous, long now) {
		int count = (previous != null) ? previous.count() + 1 : 1;
		long until = 0;
		if (count >= this.settings.freeFailures()) {
			int doublings = Math.min(count - this.settings.freeFailures(), 30);
			long delay = Math.min(this.settings.firstDelay().toMillis() << doublings,
					this.settings.maxDelay().toMillis());
			until = now + delay;
		}
		// remembered for a window after the last failure, or until the lock ends
		long keep = Math.max(until - now, this.settings.window().toMillis());
		return new Failures(count, (previous != null) ? previous.since() : now, until, Duration.ofMillis(keep));
	}

	private Failures addressFailed(Failures previous, long now) {
		// an expired window reads as absent, so the next failure starts a new one
		long since = (previous != null) ? previous.since() : now;
		int count = (previous != null) ? previous.count() + 1 : 1;
		long end = since + this.settings.window().toMillis();
		long until = (count >= this.settings.addressMaxFailures()) ? end : 0;
		return new Failures(count, since, until, Duration.ofMillis(Math.max(1, end - now)));
	}

	private static long left(Failures failures, long now) {
		return (failures != null) ? Math.max(0, failures.until() - now) : 0;
	}

	private static void add(List<Lock> locks, Lock.Kind kind, String key, Failures failures, long now) {
		if (failures.until() > now) {
			locks.add(new Lock(kind, key, failures.count(), Instant.ofEpochMilli(failures.until())));
		}
	}

	private static String name(String username) {
		if (username == null || username.isBlank()) {
			return null;
		}
		String name = username.trim().toLowerCase(Locale.ROOT);
		return (name.length() > MAX_NAME_LENGTH) ? name.substring(0, MAX_NAME_LENGTH) : name;
	}

	/**
	 * Failures of one name or address.
	 *
	 * @param count failures counted
	 * @param since when the first was counted (epoch millis)
	 * @param until when its lock ends (epoch millis), 0 when not locked
	 * @param keep how long to remember them from now
	 */
	private record Failures(int count, long since, long until, Duration keep) {
	}

	/**
	 * The limits of a {@link PasswordThrottle}.
	 *
	 * @param freeFailures failures per account name that cost nothing
	 * @param firstDelay the lock after the first failure past the free ones; each further
	 * failure doubles it
	 * @param maxDelay the longest lock of an account name
	 * @param addressMaxFailures failures from one address within the window before the
	 * address is locked until the window ends
	 * @param window how long failures are remembered
	 * @param maxTracked addresses and names tracked at most, each
	 */
	public record Settings(int freeFailures, Duration firstDelay, Duration maxDelay, int addressMaxFailures,
			Duration window, int maxTracked) {

		/** The default limits. */
		public static final Settings DEFAULTS = new Settings(DEFAULT_FREE_FAILURES, DEFAULT_FIRST_DELAY,
				DEFAULT_MAX_DELAY, DEFAULT_ADDRESS_MAX_FAILURES, DEFAULT_WINDOW, DEFAULT_MAX_TRACKED);

		public Settings {
			positive("free-failures", freeFailures);
			positive("first-delay", firstDelay);
			positive("max-delay", maxDelay);
			positive("address-max-failures", addressMaxFailures);
			positive("window", window);
			positive("max-tracked", maxTracked);
			if (maxDelay.compareTo(firstDelay) < 0) {
				throw new IllegalArgumentException(
						"max-delay: " + maxDelay + " (expected: at least first-delay, " + firstDelay + ")");
			}
		}

		private static void positive(String name, int value) {
			if (value < 1) {
				throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
			}
		}

		private static void positive(String name, Duration value) {
			Objects.requireNonNull(value, name);
			if (value.isNegative() || value.isZero()) {
				throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
			}
		}

	}

	/**
	 * A locked account name or client address.
	 *
	 * @param kind what is locked
	 * @param key the name (lower case) or the address
	 * @param failures failures counted
	 * @param until when the lock ends
	 */
	public record Lock(Kind kind, String key, int failures, Instant until) {

		/** What a lock is on. */
		public enum Kind {

			/** An account name, from every address. */
			ACCOUNT,

			/** A client address, for every name. */
			ADDRESS

		}

	}

}
