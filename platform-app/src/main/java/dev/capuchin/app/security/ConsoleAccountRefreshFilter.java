package dev.capuchin.app.security;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import dev.capuchin.app.users.ConsoleUser;
import dev.capuchin.app.users.ConsoleUserStore;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps a signed-in console session in step with its account: a deleted or disabled
 * account loses its session on its next request, and a changed role applies at once, not
 * at the next sign-in.
 */
class ConsoleAccountRefreshFilter extends OncePerRequestFilter {

	private final ConsoleUserStore users;

	private final CapuchinUserDetailsService accounts;

	private final SecurityContextRepository repository;

	private final ConsoleOpenIdSignIn openId;

	ConsoleAccountRefreshFilter(ConsoleUserStore users, CapuchinUserDetailsService accounts,
			SecurityContextRepository repository, ConsoleOpenIdSignIn openId) {
		this.users = users;
		this.accounts = accounts;
		this.repository = repository;
		this.openId = openId;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication instanceof OAuth2AuthenticationToken signedIn) {
			refresh(signedIn, request, response);
		}
		else if (authentication != null && authentication.isAuthenticated()
				&& !(authentication instanceof AnonymousAuthenticationToken)
				&& !this.accounts.isBuiltIn(authentication.getName())) {
			refresh(authentication, request, response);
		}
		chain.doFilter(request, response);
	}

	/**
	 * A person signed in through an OpenID login: the role follows the login's mapping as
	 * it is now; a login that no longer signs in to the console, or a mapping that no
	 * longer gives a role, ends the session.
	 */
	private void refresh(OAuth2AuthenticationToken authentication, HttpServletRequest request,
			HttpServletResponse response) {
		Optional<ConsoleUser.Role> role = this.openId.roleNow(authentication.getAuthorizedClientRegistrationId(),
				authentication.getPrincipal().getAttributes());
		if (role.isEmpty()) {
			signOut(request);
			return;
		}
		String granted = "ROLE_" + role.get().name();
		Set<String> roles = authentication.getAuthorities()
			.stream()
			.map(GrantedAuthority::getAuthority)
			.filter((authority) -> authority.startsWith("ROLE_"))
			.collect(Collectors.toSet());
		if (!roles.equals(Set.of(granted))) {
			// the other authorities (the sign-in's factor) stay
			List<GrantedAuthority> authorities = new java.util.ArrayList<>(authentication.getAuthorities()
				.stream()
				.filter((authority) -> !authority.getAuthority().startsWith("ROLE_"))
				.toList());
			authorities.add(new SimpleGrantedAuthority(granted));
			OAuth2AuthenticationToken updated = new OAuth2AuthenticationToken(authentication.getPrincipal(),
					authorities, authentication.getAuthorizedClientRegistrationId());
			updated.setDetails(authentication.getDetails());
			SecurityContext context = SecurityContextHolder.createEmptyContext();
			context.setAuthentication(updated);
			SecurityContextHolder.setContext(context);
			this.repository.saveContext(context, request, response);
		}
	}

	private static void signOut(HttpServletRequest request) {
		SecurityContextHolder.clearContext();
		HttpSession session = request.getSession(false);
		if (session != null) {
			session.invalidate();
		}
	}

	private void refresh(Authentication authentication, HttpServletRequest request, HttpServletResponse response) {
		Optional<ConsoleUser> user = this.users.find(authentication.getName());
		if (user.isEmpty() || !user.get().enabled()) {
			signOut(request);
			return;
		}
		Set<String> granted = authentication.getAuthorities()
			.stream()
			.map(GrantedAuthority::getAuthority)
			.collect(Collectors.toSet());
		String role = "ROLE_" + user.get().role().name();
		if (!granted.equals(Set.of(role))) {
			UsernamePasswordAuthenticationToken updated = UsernamePasswordAuthenticationToken
				.authenticated(authentication.getPrincipal(), null, List.of(new SimpleGrantedAuthority(role)));
			updated.setDetails(authentication.getDetails());
			SecurityContext context = SecurityContextHolder.createEmptyContext();
			context.setAuthentication(updated);
			SecurityContextHolder.setContext(context);
			this.repository.saveContext(context, request, response);
		}
	}

}
