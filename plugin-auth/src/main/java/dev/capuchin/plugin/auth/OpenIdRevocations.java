package dev.capuchin.plugin.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * The sessions providers ended through OpenID Connect Back-Channel Logout 1.0: the
 * {@code openid} mode records each logout here and asks, for every request with a
 * session, whether the session was ended. Sessions live in cookies, not on the server, so
 * a logout is remembered as a revocation until the sessions it names have ended anyway
 * (their absolute lifetime).
 * <p>
 * {@link MemoryOpenIdRevocations} keeps them in one node's memory, the plugin's default;
 * a cluster hands the plugin an implementation that also stores them and learns those of
 * the other nodes, so a logout received by one node ends the session on every node.
 * {@link #revoked} runs on the event loop for every request with a session: it must
 * answer from memory, never block.
 */
public interface OpenIdRevocations {

	/**
	 * Record a logout. May be called on an event loop: an implementation that stores it
	 * does so off the loop.
	 * @param revocation the logout
	 */
	void revoke(Revocation revocation);

	/**
	 * Whether a session was ended by a logout: one naming its {@code sid}, or its subject
	 * at a time after it signed in.
	 * @param issuer the provider
	 * @param sid the session's {@code sid}, or {@code null}
	 * @param subject the session's provider subject, or {@code null}
	 * @param signedInAt when the session started
	 * @return {@code true} when the session must be refused
	 */
	boolean revoked(String issuer, String sid, String subject, Instant signedInAt);

	/**
	 * A logout of a provider's back-channel: of one session ({@code sid}), or else of
	 * every session of a subject that started before it.
	 *
	 * @param issuer the provider that sent it
	 * @param sid the session it names, or {@code null}
	 * @param subject the subject it names, or {@code null} (not both {@code null})
	 * @param at when it was received
	 * @param until when it may be forgotten: every session it could name has ended by
	 * then
	 */
	record Revocation(String issuer, String sid, String subject, Instant at, Instant until) {

		public Revocation {
			Objects.requireNonNull(issuer, "issuer");
			Objects.requireNonNull(at, "at");
			Objects.requireNonNull(until, "until");
			if (sid == null && subject == null) {
				throw new IllegalArgumentException("sid and subject: both missing (expected: at least one)");
			}
		}

		/**
		 * Whether it names a session.
		 * @param sessionIssuer the session's provider
		 * @param sessionSid the session's {@code sid}, or {@code null}
		 * @param sessionSubject the session's subject, or {@code null}
		 * @param signedInAt when the session started
		 * @return {@code true} when the session is ended by it
		 */
		public boolean ends(String sessionIssuer, String sessionSid, String sessionSubject, Instant signedInAt) {
			if (!this.issuer.equals(sessionIssuer)) {
				return false;
			}
			if (this.sid != null) {
				return this.sid.equals(sessionSid);
			}
			// a new sign-in after the logout is a new session
			return this.subject.equals(sessionSubject) && !signedInAt.isAfter(this.at);
		}

	}

}
