package dev.capuchin.app.users;

import dev.capuchin.app.shared.api.ApiException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import dev.capuchin.app.audit.AuditLog;

import org.springframework.http.ResponseEntity;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/users}: the console accounts, with the rules of the console's users page —
 * names of letters, digits, '.', '_', '@' and '-' (never the built-in {@code admin}), the
 * role {@code admin} or {@code viewer}, passwords of 12 to 72 characters stored as bcrypt
 * hashes. No answer ever carries a password or a hash; each change is in the audit log
 * without them.
 */
@RestController
@RequestMapping("/api/users")
class UsersApiController {

	private static final String NAME_PATTERN = "[A-Za-z0-9][A-Za-z0-9._@-]{0,63}";

	private static final int MIN_PASSWORD = 12;

	private static final int MAX_PASSWORD = 72;

	private final ConsoleUserStore users;

	private final PasswordEncoder encoder;

	private final AuditLog audit;

	private final TransactionTemplate transactions;

	UsersApiController(ConsoleUserStore users, PasswordEncoder encoder, AuditLog audit,
			TransactionTemplate transactions) {
		this.users = users;
		this.encoder = encoder;
		this.audit = audit;
		this.transactions = transactions;
	}

	@GetMapping
	List<UserView> list() {
		return this.users.findAll().stream().map(UserView::of).toList();
	}

	@GetMapping("/{username}")
	UserView user(@PathVariable String username) {
		return UserView.of(find(username));
	}

	@PostMapping
	ResponseEntity<UserView> create(@RequestBody NewUser body, Principal principal) {
		if (body.username() == null || body.username().isBlank()) {
			throw ApiException.badRequest("username: missing");
		}
		String username = body.username().trim().toLowerCase(Locale.ROOT);
		if (!username.matches(NAME_PATTERN)) {
			throw ApiException.badRequest("username: '" + body.username()
					+ "' (expected: letters, digits, '.', '_', '@' and '-', at most 64, starting with a letter or digit)");
		}
		ConsoleUser.Role role = role(body.role());
		String hash = hash(body.password());
		if (username.equals(ConsoleUser.BUILT_IN_ADMIN)) {
			throw ApiException.conflict("username: 'admin' is the built-in account (expected: another name)");
		}
		if (this.users.find(username).isPresent()) {
			throw ApiException.conflict("username: an account named '" + username + "' exists already");
		}
		ConsoleUser user = this.transactions.execute((status) -> {
			ConsoleUser created = this.users.create(username, hash, role);
			this.audit.record(principal.getName(), "added", "user " + username, null, describe(created));
			return created;
		});
		return ResponseEntity.created(URI.create("/api/users/" + username)).body(UserView.of(user));
	}

	@PutMapping("/{username}")
	UserView change(@PathVariable String username, @RequestBody UserChange body, Principal principal) {
		ConsoleUser before = find(username);
		if (body.role() == null && body.enabled() == null && body.password() == null) {
			throw ApiException.badRequest("body: empty (expected: one or more of role, enabled, password)");
		}
		ConsoleUser.Role role = (body.role() != null) ? role(body.role()) : before.role();
		boolean enabled = (body.enabled() != null) ? body.enabled() : before.enabled();
		String hash = (body.password() != null) ? hash(body.password()) : null;
		return UserView.of(this.transactions.execute((status) -> {
			if (role != before.role() || enabled != before.enabled()) {
				this.users.update(before.username(), role, enabled);
				ConsoleUser after = this.users.find(before.username()).orElseThrow();
				this.audit.record(principal.getName(), "changed", "user " + before.username(), describe(before),
						describe(after));
			}
			if (hash != null) {
				this.users.changePassword(before.username(), hash);
				this.audit.record(principal.getName(), "changed", "password of user " + before.username(), null, null);
			}
			return this.users.find(before.username()).orElseThrow();
		}));
	}

	@DeleteMapping("/{username}")
	ResponseEntity<Void> delete(@PathVariable String username, Principal principal) {
		ConsoleUser user = find(username);
		this.transactions.executeWithoutResult((status) -> {
			this.users.delete(user.username());
			this.audit.record(principal.getName(), "removed", "user " + user.username(), describe(user), null);
		});
		return ResponseEntity.noContent().build();
	}

	private ConsoleUser find(String username) {
		return this.users.find(username.trim().toLowerCase(Locale.ROOT))
			.orElseThrow(() -> ApiException.notFound("user '" + username + "'"));
	}

	private static ConsoleUser.Role role(String role) {
		if (role == null) {
			throw ApiException.badRequest("role: missing (expected: admin, operator or viewer)");
		}
		try {
			return ConsoleUser.Role.of(role);
		}
		catch (IllegalArgumentException ex) {
			throw ApiException.badRequest(ex.getMessage());
		}
	}

	private String hash(String password) {
		if (password == null || password.isEmpty()) {
			throw ApiException.badRequest("password: missing (expected: 12 to 72 characters)");
		}
		if (password.length() < MIN_PASSWORD || password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD) {
			throw ApiException.badRequest("password: " + password.length()
					+ " characters (expected: 12 to 72 characters, at most 72 bytes: bcrypt ignores the rest)");
		}
		return this.encoder.encode(password);
	}

	/**
	 * An account in the audit log, as the users page writes it: never a password or hash.
	 */
	private static String describe(ConsoleUser user) {
		return "username: " + user.username() + "\nrole: " + user.role().key() + "\nenabled: " + user.enabled() + "\n";
	}

	/**
	 * A console account in answers.
	 *
	 * @param username the sign-in name
	 * @param role {@code admin} or {@code viewer}
	 * @param enabled whether it may sign in
	 * @param createdAt when it was created
	 */
	record UserView(String username, String role, boolean enabled, Instant createdAt) {

		static UserView of(ConsoleUser user) {
			return new UserView(user.username(), user.role().key(), user.enabled(), user.createdAt());
		}

	}

	/**
	 * The body that creates an account.
	 *
	 * @param username the sign-in name
	 * @param role {@code admin} or {@code viewer}
	 * @param password the first password
	 */
	record NewUser(String username, String role, String password) {
	}

	/**
	 * The body that changes an account; what it leaves out stays as it is.
	 *
	 * @param role {@code admin} or {@code viewer}
	 * @param enabled whether it may sign in
	 * @param password a new password
	 */
	record UserChange(String role, Boolean enabled, String password) {
	}

}
