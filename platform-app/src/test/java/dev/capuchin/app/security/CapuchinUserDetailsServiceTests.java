package dev.capuchin.app.security;

import java.util.concurrent.atomic.AtomicInteger;

import dev.capuchin.app.users.ConsoleUserStore;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;

class CapuchinUserDetailsServiceTests {

	private static final String PASSWORD = "correct-horse-battery";

	private final CountingEncoder encoder = new CountingEncoder(
			PasswordEncoderFactories.createDelegatingPasswordEncoder());

	// the built-in account never reads the store
	private final ConsoleUserStore users = new ConsoleUserStore(
			new JdbcTemplate(new DriverManagerDataSource("jdbc:h2:mem:accounts")));

	@Test
	void adminPasswordIsNotHashedWhenTheAccountsAreCreated() {
		new CapuchinUserDetailsService(AdminAccount.from(PASSWORD), this.encoder, this.users);
		assertThat(this.encoder.encoded.get()).isZero();
	}

	@Test
	void adminPasswordIsHashedOnceWithBcryptWhenFirstNeeded() {
		CapuchinUserDetailsService accounts = new CapuchinUserDetailsService(AdminAccount.from(PASSWORD), this.encoder,
				this.users);
		UserDetails first = accounts.loadUserByUsername("admin");
		UserDetails second = accounts.loadUserByUsername("admin");
		assertThat(this.encoder.encoded.get()).isOne();
		assertThat(first.getPassword()).startsWith("{bcrypt}$2a$10$").isEqualTo(second.getPassword());
		assertThat(this.encoder.matches(PASSWORD, first.getPassword())).isTrue();
		assertThat(this.encoder.matches("wrong-password", first.getPassword())).isFalse();
		assertThat(first.getAuthorities()).extracting(Object::toString).containsExactly("ROLE_ADMIN");
	}

	/** The real encoder, counting the hashes it makes. */
	private record CountingEncoder(PasswordEncoder delegate, AtomicInteger encoded) implements PasswordEncoder {

		CountingEncoder(PasswordEncoder delegate) {
			this(delegate, new AtomicInteger());
		}

		@Override
		public String encode(CharSequence raw) {
			this.encoded.incrementAndGet();
			return this.delegate.encode(raw);
		}

		@Override
		public boolean matches(CharSequence raw, String encoded) {
			return this.delegate.matches(raw, encoded);
		}

	}

}
