package dev.capuchin.plugin.auth.internal;

import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

import org.springframework.security.oauth2.jwt.Jwt;

/**
 * A token whose issuer vouched for it: a JWT whose signature, issuer and times were
 * checked, or an opaque token the introspection endpoint called active. What a location
 * requires beyond that (audience, scopes) is checked per location, so one verified token
 * serves every location of its issuer.
 * <p>
 * A verified token is cached and checked again on every request that presents it, so what
 * the checks read (scopes, audiences) is worked out once, here.
 */
public final class VerifiedToken {

	private final Map<String, Object> claims;

	private final Instant expiresAt;

	private final Set<String> scopes;

	private final List<String> audiences;

	/**
	 * A token with these claims.
	 * @param claims the token's claims (JWT) or the introspection answer's members
	 * @param expiresAt when the token expires, or {@code null} when it does not say
	 */
	public VerifiedToken(Map<String, Object> claims, Instant expiresAt) {
		this.claims = claims;
		this.expiresAt = expiresAt;
		Set<String> granted = new LinkedHashSet<>();
		add(granted, claims.get("scope"));
		add(granted, claims.get("scp"));
		this.scopes = Collections.unmodifiableSet(granted);
		this.audiences = audiences(claims.get("aud"));
	}

	/**
	 * The token's claims (JWT) or the introspection answer's members.
	 * @return the claims
	 */
	public Map<String, Object> claims() {
		return this.claims;
	}

	/**
	 * When the token expires.
	 * @return the time, or {@code null} when the token does not say
	 */
	public Instant expiresAt() {
		return this.expiresAt;
	}

	/**
	 * A checked JWT.
	 * @param jwt the JWT
	 * @return the token
	 */
	public static VerifiedToken of(Jwt jwt) {
		return new VerifiedToken(jwt.getClaims(), jwt.getExpiresAt());
	}

	/**
	 * An active introspection answer (RFC 7662 section 2.2), whose {@code exp} is in
	 * seconds since the epoch.
	 * @param answer the answer's members
	 * @return the token
	 */
	public static VerifiedToken ofIntrospection(Map<String, Object> answer) {
		Object exp = answer.get("exp");
		Instant expiresAt = (exp instanceof Number seconds) ? Instant.ofEpochSecond(seconds.longValue()) : null;
		return new VerifiedToken(Map.copyOf(answer), expiresAt);
	}

	/**
	 * The scopes the token grants: {@code scope} as a space-separated string (RFC 8693,
	 * RFC 7662, RFC 9068), or {@code scp} as a list or a string, as some issuers write
	 * it.
	 * @return the scopes
	 */
	public Set<String> scopes() {
		return this.scopes;
	}

	private static void add(Set<String> scopes, Object value) {
		if (value instanceof String text) {
			for (String scope : text.split(" ")) {
				if (!scope.isEmpty()) {
					scopes.add(scope);
				}
			}
		}
		else if (value instanceof Collection<?> list) {
			for (Object scope : list) {
				if (scope instanceof String text) {
					scopes.add(text);
				}
			}
		}
	}

	/**
	 * The audiences the token names in {@code aud}, a string or a list.
	 * @return the audiences
	 */
	public List<String> audiences() {
		return this.audiences;
	}

	private static List<String> audiences(Object aud) {
		if (aud instanceof String one) {
			return List.of(one);
		}
		if (aud instanceof Collection<?> list) {
			return list.stream().filter(String.class::isInstance).map(String.class::cast).toList();
		}
		return List.of();
	}

	/**
	 * A claim as text for a log or a header: a string as it is, a number or boolean
	 * written out, a list joined with commas; {@code null} for other kinds, for an absent
	 * claim and for a value with control characters (it could end a header line).
	 * @param name the claim
	 * @return the text, or {@code null}
	 */
	public String text(String name) {
		Object value = this.claims.get(name);
		String text;
		if (value instanceof String || value instanceof Number || value instanceof Boolean) {
			text = value.toString();
		}
		else if (value instanceof Instant instant) {
			text = Long.toString(instant.getEpochSecond());
		}
		else if (value instanceof Collection<?> list) {
			StringJoiner joined = new StringJoiner(",");
			list.forEach((item) -> joined.add(String.valueOf(item)));
			text = joined.toString();
		}
		else {
			return null;
		}
		for (int i = 0; i < text.length(); i++) {
			if (Character.isISOControl(text.charAt(i))) {
				return null;
			}
		}
		return text;
	}

	/**
	 * Whether the token has expired, allowing for clock skew.
	 * @param now the time now
	 * @param skewSeconds the tolerance
	 * @return {@code true} when expired
	 */
	public boolean expired(Instant now, long skewSeconds) {
		return this.expiresAt != null && now.isAfter(this.expiresAt.plusSeconds(skewSeconds));
	}

}
