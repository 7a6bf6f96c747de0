package dev.capuchin.plugin.auth;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Back-channel logouts kept in one node's memory: the plugin's default, and what a
 * clustered implementation keeps in front of its store.
 * <p>
 * Every request with a session asks {@link #revoked}, on the event loop, while logouts
 * are rare: so the entries are an immutable snapshot behind one volatile field, replaced
 * whole (copy on write) when logouts are added or forgotten. A lookup is that one
 * volatile read while no logout is remembered, and otherwise a hash lookup by issuer and
 * {@code sid}, and one by issuer and subject, without allocating. Entries are forgotten
 * when their {@code until} has passed.
 */
public final class MemoryOpenIdRevocations implements OpenIdRevocations {

	/**
	 * The entries past which every addition first removes the ended ones. Only a
	 * provider's signed logout token adds one, each for one session's lifetime, so the
	 * count is that of logouts within the longest absolute session lifetime.
	 */
	static final int CLEAN_ABOVE = 10_000;

	private static final Logger logger = LoggerFactory.getLogger(MemoryOpenIdRevocations.class);

	private final Clock clock;

	/** Serialises the writers; readers only read {@link #snapshot}. */
	private final Object lock = new Object();

	private volatile Snapshot snapshot = Snapshot.EMPTY;

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
		revokeAll(List.of(revocation));
	}

	/**
	 * Record several logouts at once, as a store's poll hands them over: one new snapshot
	 * for all of them, none when every one is known already.
	 * @param revocations the logouts
	 */
	public void revokeAll(Collection<Revocation> revocations) {
		synchronized (this.lock) {
			Snapshot current = this.snapshot;
			List<Revocation> added = revocations.stream().filter((revocation) -> current.adds(revocation)).toList();
			if (added.isEmpty()) {
				return;
			}
			Snapshot next = current.with(added);
			if (next.size() > CLEAN_ABOVE) {
				int before = next.size();
				next = next.without(this.clock.instant());
				logger.debug("{} ended back-channel logouts forgotten, {} kept", before - next.size(), next.size());
			}
			this.snapshot = next;
		}
	}

	@Override
	public boolean revoked(String issuer, String sid, String subject, Instant signedInAt) {
		Snapshot current = this.snapshot;
		if (current.size() == 0) {
			return false;
		}
		if (sid != null) {
			Revocation found = find(current.bySid(), issuer, sid);
			if (found != null && found.ends(issuer, sid, subject, signedInAt)) {
				return true;
			}
		}
		if (subject != null) {
			Revocation found = find(current.bySubject(), issuer, subject);
			return found != null && found.ends(issuer, sid, subject, signedInAt);
		}
		return false;
	}

	private static Revocation find(Map<String, Map<String, Revocation>> byIssuer, String issuer, String value) {
		Map<String, Revocation> entries = byIssuer.get(issuer);
		return (entries != null) ? entries.get(value) : null;
	}

	/**
	 * Forget the revocations whose sessions have all ended.
	 * @return how many were removed
	 */
	public int clean() {
		synchronized (this.lock) {
			Snapshot current = this.snapshot;
			Instant now = this.clock.instant();
			if (!current.anyEnded(now)) {
				// a store's poll cleans every time: no copy when nothing ended
				return 0;
			}
			Snapshot next = current.without(now);
			this.snapshot = next;
			return current.size() - next.size();
		}
	}

	/**
	 * The revocations remembered.
	 * @return the count
	 */
	public int size() {
		return this.snapshot.size();
	}

	/**
	 * The revocations at one moment, never changed once published: by issuer, then by
	 * {@code sid} (logouts of one session) or subject (logouts of every session of a
	 * subject started before them).
	 */
	private record Snapshot(Map<String, Map<String, Revocation>> bySid, Map<String, Map<String, Revocation>> bySubject,
			int size) {

		static final Snapshot EMPTY = new Snapshot(Map.of(), Map.of(), 0);

		/** Whether a logout would change what is remembered. */
		boolean adds(Revocation revocation) {
			Revocation known = (revocation.sid() != null) ? find(this.bySid, revocation.issuer(), revocation.sid())
					: find(this.bySubject, revocation.issuer(), revocation.subject());
			return known == null || revocation.at().isAfter(known.at());
		}

		Snapshot with(List<Revocation> added) {
			Map<String, Map<String, Revocation>> sids = mutable(this.bySid);
			Map<String, Map<String, Revocation>> subjects = mutable(this.bySubject);
			for (Revocation revocation : added) {
				boolean bySid = revocation.sid() != null;
				Map<String, Revocation> entries = (bySid ? sids : subjects).computeIfAbsent(revocation.issuer(),
						(issuer) -> new HashMap<>());
				// a later logout of the same subject covers more sessions: keep the
				// latest
				entries.merge(bySid ? revocation.sid() : revocation.subject(), revocation,
						(old, fresh) -> fresh.at().isAfter(old.at()) ? fresh : old);
			}
			return frozen(sids, subjects);
		}

		boolean anyEnded(Instant now) {
			for (Map<String, Map<String, Revocation>> byIssuer : List.of(this.bySid, this.bySubject)) {
				for (Map<String, Revocation> entries : byIssuer.values()) {
					for (Revocation revocation : entries.values()) {
						if (!now.isBefore(revocation.until())) {
							return true;
						}
					}
				}
			}
			return false;
		}

		Snapshot without(Instant now) {
			Map<String, Map<String, Revocation>> sids = mutable(this.bySid);
			Map<String, Map<String, Revocation>> subjects = mutable(this.bySubject);
			for (Map<String, Map<String, Revocation>> byIssuer : List.of(sids, subjects)) {
				byIssuer.values().forEach((entries) -> entries.values().removeIf((r) -> !now.isBefore(r.until())));
				byIssuer.values().removeIf(Map::isEmpty);
			}
			return frozen(sids, subjects);
		}

		private static Map<String, Map<String, Revocation>> mutable(Map<String, Map<String, Revocation>> byIssuer) {
			Map<String, Map<String, Revocation>> copy = new HashMap<>();
			byIssuer.forEach((issuer, entries) -> copy.put(issuer, new HashMap<>(entries)));
			return copy;
		}

		private static Snapshot frozen(Map<String, Map<String, Revocation>> sids,
				Map<String, Map<String, Revocation>> subjects) {
			int size = 0;
			Map<String, Map<String, Revocation>> frozenSids = new HashMap<>();
			for (Map.Entry<String, Map<String, Revocation>> entry : sids.entrySet()) {
				frozenSids.put(entry.getKey(), Map.copyOf(entry.getValue()));
				size += entry.getValue().size();
			}
			Map<String, Map<String, Revocation>> frozenSubjects = new HashMap<>();
			for (Map.Entry<String, Map<String, Revocation>> entry : subjects.entrySet()) {
				frozenSubjects.put(entry.getKey(), Map.copyOf(entry.getValue()));
				size += entry.getValue().size();
			}
			return (size == 0) ? EMPTY : new Snapshot(Map.copyOf(frozenSids), Map.copyOf(frozenSubjects), size);
		}

	}

}
