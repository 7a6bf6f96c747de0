package dev.capuchin.app.security;

import java.util.List;
import java.util.Objects;

import dev.capuchin.app.tokens.ApiToken;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A request authenticated with an API token, or — before the check — the presented token.
 * An authenticated token has the authorities of its scope: {@code SCOPE_read}, and for a
 * write token {@code SCOPE_write} too; never a role, so it cannot manage tokens. Its name
 * in the audit log is {@code token <id> (<name>)}.
 */
final class ApiTokenAuthentication extends AbstractAuthenticationToken {

	/** The authority of every token. */
	static final String READ = "SCOPE_read";

	/** The authority of write tokens. */
	static final String WRITE = "SCOPE_write";

	private final transient ApiToken token;

	private String secret;

	private ApiTokenAuthentication(String secret) {
		super(List.of());
		this.token = null;
		this.secret = secret;
	}

	private ApiTokenAuthentication(ApiToken token, List<GrantedAuthority> authorities) {
		super(authorities);
		this.token = token;
		setAuthenticated(true);
	}

	/**
	 * A presented token, not checked yet.
	 * @param secret the token
	 * @return the authentication request
	 */
	static ApiTokenAuthentication unauthenticated(String secret) {
		return new ApiTokenAuthentication(Objects.requireNonNull(secret, "secret"));
	}

	/**
	 * A checked token.
	 * @param token the stored token
	 * @return the authentication
	 */
	static ApiTokenAuthentication authenticated(ApiToken token) {
		List<GrantedAuthority> authorities = (token.scope() == ApiToken.Scope.WRITE)
				? List.of(new SimpleGrantedAuthority(READ), new SimpleGrantedAuthority(WRITE))
				: List.of(new SimpleGrantedAuthority(READ));
		return new ApiTokenAuthentication(token, authorities);
	}

	@Override
	public Object getCredentials() {
		return this.secret;
	}

	@Override
	public Object getPrincipal() {
		return this.token;
	}

	@Override
	public String getName() {
		return (this.token != null) ? "token " + this.token.id() + " (" + this.token.name() + ")" : "token";
	}

	@Override
	public void eraseCredentials() {
		super.eraseCredentials();
		this.secret = null;
	}

	/**
	 * The stored token, once checked.
	 * @return the token, or {@code null} before the check
	 */
	ApiToken token() {
		return this.token;
	}

}
