package dev.capuchin.app.identity;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;

import dev.capuchin.app.realms.RealmUser;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.core.oidc.OidcUserInfo;
import org.springframework.security.oauth2.core.oidc.StandardClaimNames;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcUserInfoAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * The claims of a realm user's tokens: {@code sub} is a stable id made from the realm and
 * the user name (a name-based UUID: the same on every node and across configuration
 * versions, which rewrite realm rows, and never the user name itself),
 * {@code preferred_username} the user name, always. The ID token also carries the user's
 * profile where the user has one and the scopes ask for it: {@code email} (scope
 * {@code email}), {@code name} (scope {@code profile}) and {@code groups} (scope
 * {@code groups}), read from the realm when the token is made, so a changed profile shows
 * in the next token. Userinfo answers the same claims. Tokens of a client acting for
 * itself keep the client id as subject.
 */
final class IdentityClaims implements OAuth2TokenCustomizer<JwtEncodingContext> {

	/** The scope that asks for the user's groups. */
	static final String GROUPS_SCOPE = "groups";

	/** The scopes these claims understand, as discovery lists them. */
	static final List<String> SCOPES = List.of(OidcScopes.OPENID, OidcScopes.PROFILE, OidcScopes.EMAIL, GROUPS_SCOPE);

	/** The claim of the user's groups. */
	static final String GROUPS = "groups";

	private final BiFunction<String, String, Optional<RealmUser>> users;

	/**
	 * @param users the realm user of a realm's name and a user name, as stored now
	 */
	IdentityClaims(BiFunction<String, String, Optional<RealmUser>> users) {
		this.users = users;
	}

	@Override
	public void customize(JwtEncodingContext context) {
		Authentication principal = context.getPrincipal();
		String realm = RealmUserAuthenticationProvider.realmOf(principal);
		if (realm == null) {
			return;
		}
		String username = principal.getName();
		context.getClaims().subject(subject(realm, username));
		boolean idToken = OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue());
		if (idToken || OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
			context.getClaims().claim(StandardClaimNames.PREFERRED_USERNAME, username);
		}
		if (idToken) {
			Optional<RealmUser> user = this.users.apply(realm, username);
			profile(user.orElse(null), context.getAuthorizedScopes()).forEach(context.getClaims()::claim);
		}
	}

	/**
	 * The profile claims of a user that the scopes ask for.
	 */
	private static Map<String, Object> profile(RealmUser user, Set<String> scopes) {
		Map<String, Object> claims = new LinkedHashMap<>();
		if (user == null) {
			return claims;
		}
		if (scopes.contains(OidcScopes.EMAIL) && user.email() != null) {
			claims.put(StandardClaimNames.EMAIL, user.email());
		}
		if (scopes.contains(OidcScopes.PROFILE) && user.displayName() != null) {
			claims.put(StandardClaimNames.NAME, user.displayName());
		}
		if (scopes.contains(GROUPS_SCOPE) && !user.groups().isEmpty()) {
			// an ArrayList: the stored authorization is read back through Spring's
			// Jackson allowlist, which refuses the JDK's immutable lists
			claims.put(GROUPS, new ArrayList<>(user.groups()));
		}
		return claims;
	}

	/**
	 * Userinfo: the ID token's {@code sub} and {@code preferred_username}, and of its
	 * profile claims those the access token's scopes still ask for (Spring's default
	 * drops {@code preferred_username} without the {@code profile} scope and knows no
	 * {@code groups}).
	 * @param context the userinfo request
	 * @return the claims
	 */
	static OidcUserInfo userInfo(OidcUserInfoAuthenticationContext context) {
		OAuth2Authorization authorization = context.getAuthorization();
		OAuth2Authorization.Token<OidcIdToken> token = authorization.getToken(OidcIdToken.class);
		Map<String, Object> idToken = (token != null) ? token.getToken().getClaims() : Map.of();
		Set<String> scopes = context.getAccessToken().getScopes();
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put(StandardClaimNames.SUB,
				idToken.getOrDefault(StandardClaimNames.SUB, authorization.getPrincipalName()));
		copy(idToken, claims, StandardClaimNames.PREFERRED_USERNAME, true);
		copy(idToken, claims, StandardClaimNames.EMAIL, scopes.contains(OidcScopes.EMAIL));
		copy(idToken, claims, StandardClaimNames.NAME, scopes.contains(OidcScopes.PROFILE));
		copy(idToken, claims, GROUPS, scopes.contains(GROUPS_SCOPE));
		return new OidcUserInfo(claims);
	}

	private static void copy(Map<String, Object> from, Map<String, Object> to, String claim, boolean asked) {
		if (asked && from.get(claim) != null) {
			to.put(claim, from.get(claim));
		}
	}

	/**
	 * The subject of a realm user.
	 * @param realm the realm's name
	 * @param username the user name
	 * @return a stable id that is not the user name
	 */
	static String subject(String realm, String username) {
		return UUID
			.nameUUIDFromBytes(("capuchin realm user\0" + realm + "\0" + username).getBytes(StandardCharsets.UTF_8))
			.toString();
	}

}
