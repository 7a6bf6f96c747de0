package dev.capuchin.app.security;

import java.util.Locale;
import java.util.Objects;

import dev.capuchin.app.users.ConsoleUser;
import dev.capuchin.app.users.ConsoleUserStore;
import org.jspecify.annotations.Nullable;

import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The accounts that may sign in: the built-in {@code admin} (password from
 * {@code CAPUCHIN_ADMIN_PASSWORD}), then the console accounts of the store. Roles become
 * {@code ROLE_ADMIN} or {@code ROLE_VIEWER}.
 */
class CapuchinUserDetailsService implements UserDetailsService {

	private final PasswordEncoder encoder;

	private final ConsoleUserStore users;

	/** The built-in admin's password until it is hashed, then {@code null}. */
	private @Nullable String adminPassword;

	/** The built-in admin's password hash, once made. */
	private @Nullable String adminHash;

	/**
	 * The accounts, with the built-in admin's password hashed when it is first needed: a
	 * BCrypt hash costs a tenth of a second of CPU (more on a small, busy machine), which
	 * a start need not wait for; the hash is as strong as one made at start.
	 */
	CapuchinUserDetailsService(AdminAccount admin, PasswordEncoder encoder, ConsoleUserStore users) {
		this.adminPassword = Objects.requireNonNull(admin, "admin").password();
		this.encoder = Objects.requireNonNull(encoder, "encoder");
		this.users = Objects.requireNonNull(users, "users");
	}

	@Override
	public UserDetails loadUserByUsername(String username) {
		if (AdminAccount.USER.equals(username)) {
			// a new one each time: authentication erases the credentials of what it is
			// given
			return User.withUsername(AdminAccount.USER).password(adminHash()).roles("ADMIN").build();
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
		return AdminAccount.USER.equals(username);
	}

	/**
	 * The built-in admin's password hash, made on the first call; the clear password is
	 * then let go.
	 * @return the encoded hash
	 */
	synchronized String adminHash() {
		if (this.adminHash == null) {
			this.adminHash = this.encoder.encode(this.adminPassword);
			this.adminPassword = null;
		}
		return this.adminHash;
	}

}
