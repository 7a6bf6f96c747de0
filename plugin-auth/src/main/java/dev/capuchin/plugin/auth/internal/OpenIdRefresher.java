package dev.capuchin.plugin.auth.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.publisher.Mono;

/**
 * Gets a session a new access token with the provider's refresh token (RFC 6749 section
 * 6), when the location forwards the access token and it has expired. Non-blocking, on
 * Reactor Netty's client with the issuers' timeout; one refresh per session at a time on
 * a node: requests of one browser that arrive together share the first one's answer (a
 * provider that rotates refresh tokens would refuse the second use of the old one).
 */
public final class OpenIdRefresher {

	/**
	 * The most refreshes under way at once on a node; past it a request whose token is
	 * due gets 503 rather than a queue without bound.
	 */
	static final int MAX_IN_FLIGHT = 10_000;

	private final Clock clock;

	private final Map<String, Mono<Outcome>> inFlight = new ConcurrentHashMap<>();

	/**
	 * Create the refresher.
	 * @param clock the clock of new expiry times
	 */
	public OpenIdRefresher(Clock clock) {
		this.clock = clock;
	}

	/**
	 * Refresh a session's access token, or join the refresh of it already under way.
	 * @param location the location (its login's client and provider)
	 * @param session the session, whose refresh token is used
	 * @return the outcome; an {@link IssuerUnavailableException} when the provider cannot
	 * be reached
	 */
	public Mono<Outcome> refresh(OpenIdLocation location, OpenIdSession session) {
		if (this.inFlight.size() >= MAX_IN_FLIGHT) {
			return Mono.error(new IssuerUnavailableException(MAX_IN_FLIGHT + " refreshes under way"));
		}
		String key = location.block().login() + " " + session.refreshToken();
		return this.inFlight.computeIfAbsent(key,
				(any) -> ask(location, session).doFinally((signal) -> this.inFlight.remove(key)).cache());
	}

	private Mono<Outcome> ask(OpenIdLocation location, OpenIdSession session) {
		OpenIdBlock block = location.block();
		String body = "grant_type=refresh_token&refresh_token=" + Issuer.form(session.refreshToken());
		return location.issuer().endpoints().flatMap((endpoints) -> {
			// the refresh authenticates the client as the code exchange did (RFC 6749
			// section 6)
			TokenEndpointCredentials client = TokenEndpointCredentials.of(block, endpoints.token(),
					this.clock.instant());
			return location.issuer().token(endpoints.token(), body + client.form(), client.authorization());
		}).map((answer) -> {
			Object accessToken = answer.members().get("access_token");
			if (answer.status() != 200 || !(accessToken instanceof String token) || token.isEmpty()) {
				return new Outcome(null, "the token endpoint answered " + answer.status() + " "
						+ String.valueOf(answer.members().get("error")).replaceAll("[^\\x20-\\x7e]", "?"));
			}
			Instant now = this.clock.instant();
			Instant expiry = (answer.members().get("expires_in") instanceof Number seconds)
					? now.plusSeconds(seconds.longValue()) : null;
			String rotated = (answer.members().get("refresh_token") instanceof String refresh && !refresh.isEmpty())
					? refresh : null;
			return new Outcome(session.refreshed(now, token, expiry, rotated), null);
		});
	}

	/**
	 * A refresh's outcome.
	 *
	 * @param session the session with its new tokens, or {@code null} when the provider
	 * refused (the session is over)
	 * @param refusal why the provider refused, or {@code null}
	 */
	public record Outcome(OpenIdSession session, String refusal) {
	}

}
