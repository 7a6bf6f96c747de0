package dev.capuchin.plugin.auth.internal;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jwt.JWTClaimsSet;

/**
 * A signed-in browser's session, as its sealed cookie holds it: the user, the claims the
 * site's rules and forwarded headers need, when it started, when it was last seen, when
 * it ends (the absolute lifetime), and the provider's access token when the location
 * forwards it.
 *
 * @param user the user name (the login's user claim)
 * @param claims kept claims: texts, or lists of texts
 * @param issuedAt when the user signed in
 * @param lastSeen when the session was last refreshed
 * @param expiresAt when the session ends whatever happens
 * @param accessToken the provider's access token, or {@code null}
 * @param sid the provider's session id ({@code sid} of the ID token), or {@code null}: a
 * back-channel logout names it
 * @param subject the provider's subject ({@code sub} of the ID token), or {@code null}: a
 * back-channel logout without {@code sid} names it
 * @param refreshToken the provider's refresh token when it issued one and the location
 * forwards the access token, or {@code null}
 * @param accessExpiresAt when the access token expires, or {@code null}
 */
public record OpenIdSession(String user, Map<String, Object> claims, Instant issuedAt, Instant lastSeen,
		Instant expiresAt, String accessToken, String sid, String subject, String refreshToken,
		Instant accessExpiresAt) {

	/**
	 * How long before its expiry an access token is refreshed, so that what is behind the
	 * location never gets one that expires on its way.
	 */
	public static final Duration REFRESH_EARLY = Duration.ofSeconds(5);

	/**
	 * The longest a session goes without being written again: its last-seen time is
	 * refreshed at most this often (or at half the idle time when shorter), so a busy
	 * browser does not cost an encryption per request.
	 */
	static final Duration REFRESH_EVERY = Duration.ofMinutes(1);

	/** The longest text or list kept of one claim. */
	static final int MAX_CLAIM = 1024;

	/**
	 * Read a session cookie of a location's login.
	 * @param value the cookie's value
	 * @param location the location
	 * @param now the time now
	 * @return the session, or {@code null} when the cookie is not valid or the session
	 * ended (idle or absolute lifetime)
	 */
	public static OpenIdSession open(String value, OpenIdLocation location, Instant now) {
		OpenIdBlock block = location.block();
		JWTClaimsSet claims = SealedCookies.open(value, block.sessionKey(), SealedCookies.SESSION, now);
		if (claims == null) {
			return null;
		}
		try {
			Date issued = claims.getIssueTime();
			Date lastSeen = claims.getDateClaim("lst");
			Map<String, Object> kept = claims.getJSONObjectClaim("clm");
			if (!block.login().equals(claims.getStringClaim("lgn")) || claims.getSubject() == null || issued == null
					|| lastSeen == null || !now.isBefore(lastSeen.toInstant().plus(block.idle()))
					|| !now.isBefore(issued.toInstant().plus(block.absolute()))) {
				return null;
			}
			return new OpenIdSession(claims.getSubject(), (kept != null) ? kept : Map.of(), issued.toInstant(),
					lastSeen.toInstant(), claims.getExpirationTime().toInstant(), claims.getStringClaim("at"),
					claims.getStringClaim("sid"), claims.getStringClaim("ps"), claims.getStringClaim("rt"),
					(claims.getLongClaim("ate") != null) ? Instant.ofEpochSecond(claims.getLongClaim("ate")) : null);
		}
		catch (ParseException ex) {
			return null;
		}
	}

	/**
	 * A new session.
	 * @param user the user
	 * @param idToken the ID token's claims
	 * @param location the location signed in at
	 * @param now the time now
	 * @param accessToken the access token when the location forwards it, else
	 * {@code null}
	 * @param accessExpiry when the access token expires, or {@code null}
	 * @param refreshToken the provider's refresh token when the location forwards the
	 * access token, else {@code null}
	 * @return the session
	 */
	public static OpenIdSession start(String user, Map<String, Object> idToken, OpenIdLocation location, Instant now,
			String accessToken, Instant accessExpiry, String refreshToken) {
		Map<String, Object> kept = new LinkedHashMap<>();
		for (String name : location.kept()) {
			Object value = keep(idToken.get(name));
			if (value != null) {
				kept.put(name, value);
			}
		}
		Instant end = now.plus(location.block().absolute());
		if (accessToken != null && accessExpiry != null && refreshToken == null && accessExpiry.isBefore(end)) {
			// a forwarded access token is no use once expired, and without a refresh
			// token there is no new one: sign in again then
			end = accessExpiry;
		}
		return new OpenIdSession(user, kept, now, now, end, accessToken, text(idToken.get("sid")),
				text(idToken.get("sub")), refreshToken, accessExpiry);
	}

	private static String text(Object value) {
		return (value instanceof String text && text.length() <= MAX_CLAIM && printable(text)) ? text : null;
	}

	private static Object keep(Object value) {
		if (value instanceof String || value instanceof Number || value instanceof Boolean) {
			String text = value.toString();
			return (text.length() <= MAX_CLAIM && printable(text)) ? ((value instanceof String) ? text : value) : null;
		}
		if (value instanceof Collection<?> list) {
			List<String> texts = list.stream().map(String::valueOf).filter(OpenIdSession::printable).toList();
			return (String.join(",", texts).length() <= MAX_CLAIM) ? texts : null;
		}
		return null;
	}

	private static boolean printable(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c < 0x20 || c == 0x7f) {
				return false;
			}
		}
		return true;
	}

	/**
	 * The kept claims as texts for later stages and headers: lists joined with commas.
	 * @return the texts by claim name
	 */
	public Map<String, String> texts() {
		Map<String, String> texts = new LinkedHashMap<>();
		this.claims.forEach((name, value) -> texts.put(name, (value instanceof Collection<?> list)
				? String.join(",", list.stream().map(String::valueOf).toList()) : String.valueOf(value)));
		return texts;
	}

	/**
	 * Whether the cookie should be written again with a new last-seen time.
	 * @param now the time now
	 * @param idle the idle lifetime
	 * @return {@code true} when due
	 */
	public boolean dueForRefresh(Instant now, Duration idle) {
		return !now.isBefore(rewriteAt(idle));
	}

	/**
	 * When the cookie is to be written again with a new last-seen time: a minute after it
	 * was last, or half the idle time when shorter.
	 * @param idle the idle lifetime
	 * @return the time
	 */
	public Instant rewriteAt(Duration idle) {
		// milliseconds rather than Duration.dividedBy, which divides as BigDecimal
		long every = Math.min(idle.toMillis() / 2, REFRESH_EVERY.toMillis());
		return this.lastSeen.plusMillis(every);
	}

	/**
	 * When the session stops counting for a login's lifetimes: its end, its idle or its
	 * absolute lifetime, whichever comes first ({@link #isLive} before it).
	 * @param block the login's block
	 * @return the time
	 */
	public Instant liveUntil(OpenIdBlock block) {
		Instant until = this.expiresAt;
		Instant idle = this.lastSeen.plus(block.idle());
		Instant absolute = this.issuedAt.plus(block.absolute());
		until = idle.isBefore(until) ? idle : until;
		return absolute.isBefore(until) ? absolute : until;
	}

	/**
	 * When the forwarded access token is to be refreshed ({@link #refreshDue} from then
	 * on), in epoch milliseconds.
	 * @return the time, or {@link Long#MAX_VALUE} when it never is
	 */
	public long refreshDueAt() {
		return (this.refreshToken != null && this.accessToken != null && this.accessExpiresAt != null)
				? this.accessExpiresAt.minus(REFRESH_EARLY).toEpochMilli() : Long.MAX_VALUE;
	}

	/**
	 * The session seen now.
	 * @param now the time now
	 * @return the copy
	 */
	public OpenIdSession touched(Instant now) {
		return new OpenIdSession(this.user, this.claims, this.issuedAt, now, this.expiresAt, this.accessToken, this.sid,
				this.subject, this.refreshToken, this.accessExpiresAt);
	}

	/**
	 * Whether the forwarded access token has expired (or is about to) and a refresh token
	 * can get a new one.
	 * @param now the time now
	 * @return {@code true} when due
	 */
	public boolean refreshDue(Instant now) {
		return this.refreshToken != null && this.accessToken != null && this.accessExpiresAt != null
				&& !now.isBefore(this.accessExpiresAt.minus(REFRESH_EARLY));
	}

	/**
	 * The session with the provider's new tokens, seen now.
	 * @param now the time now
	 * @param accessToken the new access token
	 * @param accessExpiry when it expires, or {@code null}
	 * @param refreshToken the new refresh token (a provider that rotates them sends one),
	 * or {@code null} to keep the current one
	 * @return the copy
	 */
	public OpenIdSession refreshed(Instant now, String accessToken, Instant accessExpiry, String refreshToken) {
		return new OpenIdSession(this.user, this.claims, this.issuedAt, now, this.expiresAt, accessToken, this.sid,
				this.subject, (refreshToken != null) ? refreshToken : this.refreshToken, accessExpiry);
	}

	/**
	 * Whether the session still counts for a login's lifetimes: before its end, its idle
	 * and its absolute lifetime, as {@link #open} checks them.
	 * @param block the login's block
	 * @param now the time now
	 * @return {@code true} when live
	 */
	public boolean isLive(OpenIdBlock block, Instant now) {
		return now.isBefore(this.expiresAt) && now.isBefore(this.lastSeen.plus(block.idle()))
				&& now.isBefore(this.issuedAt.plus(block.absolute()));
	}

	/**
	 * The session's sealed value.
	 * @param location the location (its login's name and key)
	 * @return the cookie's value
	 */
	public String seal(OpenIdLocation location) {
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().claim("use", SealedCookies.SESSION)
			.claim("lgn", location.block().login())
			.subject(this.user)
			.issueTime(Date.from(this.issuedAt))
			.claim("lst", this.lastSeen.getEpochSecond())
			.expirationTime(Date.from(this.expiresAt))
			.claim("clm", this.claims);
		if (this.accessToken != null) {
			claims.claim("at", this.accessToken);
		}
		if (this.sid != null) {
			claims.claim("sid", this.sid);
		}
		if (this.subject != null) {
			claims.claim("ps", this.subject);
		}
		if (this.refreshToken != null) {
			claims.claim("rt", this.refreshToken);
		}
		if (this.accessExpiresAt != null) {
			claims.claim("ate", this.accessExpiresAt.getEpochSecond());
		}
		return SealedCookies.seal(location.block().login(), location.block().sessionKey(), claims.build());
	}

	/**
	 * The {@code Set-Cookie} value of the session, kept by the browser until the session
	 * ends.
	 * @param location the location
	 * @param secure whether the request came over TLS
	 * @return the header value
	 */
	public String setCookie(OpenIdLocation location, boolean secure) {
		Duration left = Duration.between(this.lastSeen, this.expiresAt);
		return SealedCookies.setCookie(location.sessionCookie(), seal(location), "/", left, secure);
	}

}
