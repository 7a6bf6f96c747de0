package dev.capuchin.app.identity;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * The claims of a realm user's tokens: {@code sub} is a stable id made from the realm and
 * the user name (a name-based UUID: the same on every node and across configuration
 * versions, which rewrite realm rows, and never the user name itself),
 * {@code preferred_username} the user name. Tokens of a client acting for itself keep the
 * client id as subject.
 */
final class IdentityClaims implements OAuth2TokenCustomizer<JwtEncodingContext> {

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
			context.getClaims().claim("preferred_username", username);
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
