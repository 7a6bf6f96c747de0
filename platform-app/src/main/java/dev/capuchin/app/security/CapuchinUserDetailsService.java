package dev.capuchin.app.security;

import java.util.Locale;
import java.util.Objects;

import dev.capuchin.app.users.ConsoleUser;
import dev.capuchin.app.users.ConsoleUserStore;

import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

/**
 * The accounts that may sign in: the built-in {@code admin} (password from
 * {@code CAPUCHIN_ADMIN_PASSWORD}), then the console accounts of the store. Roles become
 * {@code ROLE_ADMIN} or {@code ROLE_VIEWER}.
 */
class CapuchinUserDetailsService implements UserDetailsService {

	private final UserDetails admin;

	private final ConsoleUserStore users;

	CapuchinUserDetailsService(UserDetails admin, ConsoleUserStore users) {
		this.admin = Objects.requireNonNull(admin, "admin");
		this.users = Objects.requireNonNull(users, "users");
	}

	@Override
	public UserDetails loadUserByUsername(String username) {
		if (this.admin.getUsername().equals(username)) {
			// a copy: authentication erases the credentials of what it is given
			return User.withUserDetails(this.admin).build();
		}
		String name = username.trim().toLowerCase(Locale.ROOT);
		ConsoleUserStore.Credentials credentials = this.users.credentials(name)
			.orElseThrow(() -> new UsernameNotFoundException("no such account"));
		ConsoleUser user = credentials.user();
		return User.withUsername(user.username())
			.password(credentials.passwordHash())
			.roles(user.role().name())
			.disabled(!user.enabled())
			.build();
	}

	/**
	 * Whether a name is the built-in account's.
	 * @param username the name
	 * @return {@code true} for the built-in admin
	 */
	boolean isBuiltIn(String username) {
		return this.admin.getUsername().equals(username);
	}

}
