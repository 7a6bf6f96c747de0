package dev.capuchin.app.identity;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.capuchin.app.realms.Realm;
import dev.capuchin.app.realms.RealmUser;
import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.plugin.auth.UsersFile;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * Checks the identity sign-in form against the users of the realm of the client that
 * asked (the form's details carry the realm's name), with the hashes the auth plugin
 * accepts. A signed-in realm user has the authority {@code REALM_<name>}, which the
 * authorization endpoint compares with the client's realm.
 */
final class RealmUserAuthenticationProvider implements AuthenticationProvider {

	/** The prefix of the authority that names a signed-in user's realm. */
	static final String REALM_AUTHORITY = "REALM_";

	private final ConfigService config;

	RealmUserAuthenticationProvider(ConfigService config) {
		this.config = config;
	}

	@Override
	public Authentication authenticate(Authentication authentication) throws AuthenticationException {
		String realmName = (authentication.getDetails() instanceof String name) ? name : null;
		if (realmName == null) {
			throw new BadCredentialsException("no client asked for this sign-in");
		}
		String username = authentication.getName();
		String password = String.valueOf(authentication.getCredentials());
		Optional<Realm> realm = this.config.current().realm(realmName);
		Optional<RealmUser> user = realm.flatMap((found) -> found.user(username));
		if (user.isEmpty()) {
			throw new BadCredentialsException("wrong user name or password");
		}
		UsersFile users = UsersFile.of("realm " + realmName, Map.of(username, user.get().passwordHash()));
		if (!users.verify(username, password)) {
			throw new BadCredentialsException("wrong user name or password");
		}
		// the password factor with its time: ID tokens carry it as auth_time
		return UsernamePasswordAuthenticationToken.authenticated(username, null,
				List.of(new SimpleGrantedAuthority(REALM_AUTHORITY + realm.get().name()),
						FactorGrantedAuthority.withAuthority(FactorGrantedAuthority.PASSWORD_AUTHORITY)
							.issuedAt(Instant.now())
							.build()));
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
	}

	/**
	 * The realm of a signed-in realm user.
	 * @param authentication the authentication
	 * @return the realm's name, or {@code null} for anything else
	 */
	static String realmOf(Authentication authentication) {
		if (authentication == null || !authentication.isAuthenticated()) {
			return null;
		}
		return authentication.getAuthorities()
			.stream()
			.map(Object::toString)
			.filter((authority) -> authority.startsWith(REALM_AUTHORITY))
			.map((authority) -> authority.substring(REALM_AUTHORITY.length()))
			.findFirst()
			.orElse(null);
	}

}
