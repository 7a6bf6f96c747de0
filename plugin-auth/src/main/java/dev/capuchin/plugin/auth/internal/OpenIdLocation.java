package dev.capuchin.plugin.auth.internal;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

import dev.capuchin.plugin.auth.LocationAuth;

import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/**
 * The compiled {@code auth: {openid: …}} block of one location.
 *
 * @param block the block's keys
 * @param issuer the provider (metadata and keys shared with every location naming it)
 * @param idTokens the decoder of the provider's ID tokens for this client
 * @param challenge the {@code WWW-Authenticate} value of a 401
 * @param kept the claims a session keeps: the user claim, {@code email}, {@code groups},
 * and what the rules of the site's locations with this login read
 * @param bearer the {@code bearer} mode's settings for the provider's tokens when the
 * location also accepts them, or {@code null}
 */
public record OpenIdLocation(OpenIdBlock block, Issuer issuer, ReactiveJwtDecoder idTokens, String challenge,
		Set<String> kept, LocationAuth bearer) {

	/** Claims every session keeps when the provider sends them: what is forwarded. */
	static final Set<String> FORWARDED = Set.of("email", "groups");

	/**
	 * Whether a request carries a bearer token this location checks instead of a session.
	 * @param authorization the request's {@code Authorization} value, or {@code null}
	 * @return {@code true} when the location accepts bearer tokens and one is sent
	 */
	public boolean takesBearer(String authorization) {
		return this.bearer != null && authorization != null && authorization.regionMatches(true, 0, "Bearer", 0, 6)
				&& (authorization.length() == 6 || authorization.charAt(6) == ' ');
	}

	/**
	 * The claims a location needs in its sessions.
	 * @param block the block
	 * @return the claim names
	 */
	public static Set<String> needed(OpenIdBlock block) {
		Set<String> kept = new LinkedHashSet<>(FORWARDED);
		kept.addAll(block.rules().names());
		return kept;
	}

	/**
	 * The session cookie's name.
	 * @return {@code capuchin-openid-<login>}
	 */
	public String sessionCookie() {
		return "capuchin-openid-" + this.block.login();
	}

	/**
	 * A copy keeping other claims (those of every location sharing the login on a site).
	 * @param claims the claims
	 * @return the copy
	 */
	public OpenIdLocation withKept(Set<String> claims) {
		return new OpenIdLocation(this.block, this.issuer, this.idTokens, this.challenge, Set.copyOf(claims),
				this.bearer);
	}

	/**
	 * Whether another location's block signs in the same way, so that they can share a
	 * login's sessions and callback on one site.
	 * @param other the other location
	 * @return {@code true} when the provider, client, key and lifetimes are the same
	 */
	public boolean sameLogin(OpenIdLocation other) {
		OpenIdBlock a = this.block;
		OpenIdBlock b = other.block;
		return a.issuer().equals(b.issuer()) && a.clientId().equals(b.clientId())
				&& java.util.Objects.equals(a.clientSecret(), b.clientSecret()) && a.clientAuth() == b.clientAuth()
				&& java.util.Objects.equals(a.clientKey(), b.clientKey()) && a.scopes().equals(b.scopes())
				&& a.parameters().equals(b.parameters()) && a.userClaim().equals(b.userClaim())
				&& Arrays.equals(a.sessionKey(), b.sessionKey()) && a.idle().equals(b.idle())
				&& a.absolute().equals(b.absolute()) && a.forwardAccessToken() == b.forwardAccessToken();
	}

}
