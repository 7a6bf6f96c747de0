package dev.capuchin.plugin.auth.internal;

import java.util.List;
import java.util.Set;

import dev.capuchin.plugin.auth.BearerSettings.IssuerClient;

/**
 * The compiled {@code auth: {bearer: …}} block of one location.
 *
 * @param issuer the issuer whose tokens the location accepts
 * @param audience the audience a token must name in {@code aud}, or {@code null}
 * @param scopes the scopes a token must grant, all of them
 * @param userClaim the claim that names the user
 * @param claims the claims handed to later stages
 * @param client credentials for the issuer's introspection endpoint, or {@code null} when
 * opaque tokens are not accepted
 * @param challenge the challenge without an error, for a request without a token
 * @param invalidToken the challenge for a token that is not valid
 * @param insufficientScope the challenge for a token without a required scope
 * @param rules the claims a token's user must have (an {@code openid} location's
 * {@code require} applied to its bearer tokens), or {@link ClaimRules#NONE}
 */
public record BearerLocation(Issuer issuer, String audience, Set<String> scopes, String userClaim, List<String> claims,
		IssuerClient client, String challenge, String invalidToken, String insufficientScope, ClaimRules rules) {

}
