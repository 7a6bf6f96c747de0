package dev.capuchin.plugin.auth;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Back-channel logouts kept in one node's memory: the plugin's default, and what a
 * clustered implementation keeps in front of its store. Entries are looked up by
 * {@code sid} or subject (a map lookup per request with a session, none while no logout
 * is remembered) and forgotten when their {@code until} has passed.
 */
public final class MemoryOpenIdRevocations implements OpenIdRevocations {

	/**
	 * The entries past which every addition first removes the ended ones. Only a
	 * provider's signed logout token adds one, each for one session's lifetime, so the
	 * count is that of logouts within the longest absolute session lifetime.
	 */
	static final int CLEAN_ABOVE = 10_000;

	private static final Logger logger = LoggerFactory.getLogger(MemoryOpenIdRevocations.class);

	private final Map<Key, Revocation> bySid = new ConcurrentHashMap<>();

	private final Map<Key, Revocation> bySubject = new ConcurrentHashMap<>();

	private final Clock clock;

	/**
	 * Keep revocations with the system clock.
	 */
	public MemoryOpenIdRevocations() {
		this(Clock.systemUTC());
	}

	/**
	 * Keep revocations.
	 * @param clock the clock that tells when one may be forgotten
	 */
	public MemoryOpenIdRevocations(Clock clock) {
		this.clock = Objects.requireNonNull(clock, "clock");
	}

	@Override
	public void revoke(Revocation revocation) {
		Map<Key, Revocation> map = (revocation.sid() != null) ? this.bySid : this.bySubject;
		Key key = new Key(revocation.issuer(), (revocation.sid() != null) ? revocation.sid() : revocation.subject());
		// a later logout of the same subject covers more sessions: keep the latest
		map.merge(key, revocation, (old, fresh) -> fresh.at().isAfter(old.at()) ? fresh : old);
		if (this.bySid.size() + this.bySubject.size() > CLEAN_ABOVE) {
			int removed = clean();
			logger.debug("{} ended back-channel logouts forgotten, {} kept", removed, size());
		}
	}

	@Override
	public boolean revoked(String issuer, String sid, String subject, Instant signedInAt) {
		if (sid != null && !this.bySid.isEmpty()) {
			Revocation found = this.bySid.get(new Key(issuer, sid));
			if (found != null && found.ends(issuer, sid, subject, signedInAt)) {
				return true;
			}
		}
		if (subject != null && !this.bySubject.isEmpty()) {
			Revocation found = this.bySubject.get(new Key(issuer, subject));
			return found != null && found.ends(issuer, sid, subject, signedInAt);
		}
		return false;
	}

	/**
	 * Forget the revocations whose sessions have all ended.
	 * @return how many were removed
	 */
	public int clean() {
		Instant now = this.clock.instant();
		int before = size();
		this.bySid.values().removeIf((revocation) -> !now.isBefore(revocation.until()));
		this.bySubject.values().removeIf((revocation) -> !now.isBefore(revocation.until()));
		return before - size();
	}

	/**
	 * The revocations remembered.
	 * @return the count
	 */
	public int size() {
		return this.bySid.size() + this.bySubject.size();
	}

	private record Key(String issuer, String value) {
	}

}
