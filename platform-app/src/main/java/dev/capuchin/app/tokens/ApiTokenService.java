package dev.capuchin.app.tokens;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.capuchin.app.audit.AuditLog;

import org.springframework.transaction.support.TransactionTemplate;

/**
 * API tokens: created with 32 random bytes, shown once and kept only as their SHA-256 (a
 * fast hash suits a secret with 256 bits of entropy: there is nothing to guess that a
 * slow hash would protect), looked up by that hash, revoked by an admin. A use is
 * recorded at most once a minute per token, so requests do not each write to the store.
 * Creation and revocation are in the audit log, never with the token.
 */
public class ApiTokenService {

	/**
	 * What every token starts with, so it is recognisable in logs and secret scanners.
	 */
	public static final String PREFIX = "cap_";

	/** Random bytes per token. */
	public static final int RANDOM_BYTES = 32;

	/** A token's use is written to the store at most this often. */
	public static final Duration USE_RECORDING_INTERVAL = Duration.ofMinutes(1);

	/** The longest name accepted. */
	public static final int MAX_NAME_LENGTH = 64;

	private static final String NAME_PATTERN = "[A-Za-z0-9][A-Za-z0-9 ._@-]*";

	private static final int TOKEN_LENGTH = PREFIX.length() + 43;

	private final TokenStore tokens;

	private final AuditLog audit;

	private final TransactionTemplate transactions;

	private final Clock clock;

	private final SecureRandom random = new SecureRandom();

	/**
	 * Create the service.
	 * @param tokens the token store
	 * @param audit the audit log
	 * @param transactions the store's transactions
	 * @param clock the clock
	 */
	public ApiTokenService(TokenStore tokens, AuditLog audit, TransactionTemplate transactions, Clock clock) {
		this.tokens = Objects.requireNonNull(tokens, "tokens");
		this.audit = Objects.requireNonNull(audit, "audit");
		this.transactions = Objects.requireNonNull(transactions, "transactions");
		this.clock = Objects.requireNonNull(clock, "clock");
	}

	/**
	 * Every token, newest first.
	 * @return the tokens
	 */
	public List<ApiToken> list() {
		return this.tokens.findAll();
	}

	/**
	 * One token.
	 * @param id its number
	 * @return the token, or empty
	 */
	public Optional<ApiToken> find(long id) {
		return this.tokens.find(id);
	}

	/**
	 * Whether a token that still works already has a name.
	 * @param name the name
	 * @return {@code true} when taken
	 */
	public boolean nameInUse(String name) {
		Instant now = this.clock.instant();
		return this.tokens.findAll()
			.stream()
			.anyMatch((token) -> token.name().equalsIgnoreCase(name.trim())
					&& token.status(now) == ApiToken.Status.ACTIVE);
	}

	/**
	 * Check a token's name.
	 * @param name the name
	 * @return what is wrong, naming the field, or {@code null} when it is fine
	 */
	public static String checkName(String name) {
		if (name == null || name.isBlank()) {
			return "name: missing (expected: what the token is for)";
		}
		String trimmed = name.trim();
		if (trimmed.length() > MAX_NAME_LENGTH || !trimmed.matches(NAME_PATTERN)) {
			return "name: '" + trimmed + "' (expected: letters, digits, spaces, '.', '_', '@' and '-', at most "
					+ MAX_NAME_LENGTH + ", starting with a letter or digit)";
		}
		return null;
	}

	/**
	 * Create a token.
	 * @param name what it is for
	 * @param scope what it may do
	 * @param validity how long it works, or {@code null} for ever
	 * @param actor the admin who creates it
	 * @return the token and its secret, which is not kept
	 * @throws IllegalArgumentException naming the field at fault
	 */
	public Created create(String name, ApiToken.Scope scope, Duration validity, String actor) {
		String problem = checkName(name);
		if (problem != null) {
			throw new IllegalArgumentException(problem);
		}
		Objects.requireNonNull(scope, "scope");
		Objects.requireNonNull(actor, "actor");
		if (validity != null && (validity.isNegative() || validity.isZero())) {
			throw new IllegalArgumentException("expiry: " + validity + " (expected: > 0)");
		}
		byte[] bytes = new byte[RANDOM_BYTES];
		this.random.nextBytes(bytes);
		String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		Instant now = this.clock.instant();
		Instant expiresAt = (validity != null) ? now.plus(validity) : null;
		ApiToken token = this.transactions.execute((status) -> {
			ApiToken created = this.tokens.create(name.trim(), hash(secret), scope, actor, now, expiresAt);
			this.audit.record(actor, "create", target(created), null, describe(created));
			return created;
		});
		return new Created(token, secret);
	}

	/**
	 * Revoke a token; a revoked one stays as it is.
	 * @param id its number
	 * @param actor the admin who revokes it
	 * @return the token as it is now, or empty when there is none
	 */
	public Optional<ApiToken> revoke(long id, String actor) {
		Objects.requireNonNull(actor, "actor");
		return this.transactions.execute((status) -> {
			Optional<ApiToken> before = this.tokens.find(id);
			if (before.isEmpty()) {
				return Optional.<ApiToken>empty();
			}
			if (this.tokens.revoke(id, this.clock.instant())) {
				ApiToken after = this.tokens.find(id).orElseThrow();
				this.audit.record(actor, "revoke", target(after), describe(before.get()), describe(after));
				return Optional.of(after);
			}
			return before;
		});
	}

	/**
	 * The stored token a presented one belongs to, whatever its state; an active one has
	 * its use recorded (at most once a minute).
	 * @param secret the presented token
	 * @return the token, or empty for an unknown one
	 */
	public Optional<ApiToken> authenticate(String secret) {
		if (secret == null || secret.length() != TOKEN_LENGTH || !secret.startsWith(PREFIX)) {
			return Optional.empty();
		}
		String presented = hash(secret);
		Optional<TokenStore.Hashed> found = this.tokens.findByHash(presented);
		if (found.isEmpty() || !MessageDigest.isEqual(found.get().tokenHash().getBytes(StandardCharsets.US_ASCII),
				presented.getBytes(StandardCharsets.US_ASCII))) {
			return Optional.empty();
		}
		ApiToken token = found.get().token();
		Instant now = this.clock.instant();
		if (token.status(now) == ApiToken.Status.ACTIVE
				&& (token.lastUsedAt() == null || !token.lastUsedAt().isAfter(now.minus(USE_RECORDING_INTERVAL)))) {
			this.tokens.touch(token.id(), now, now.minus(USE_RECORDING_INTERVAL));
		}
		return Optional.of(token);
	}

	/**
	 * The current time of this service's clock.
	 * @return now
	 */
	public Instant now() {
		return this.clock.instant();
	}

	/**
	 * The hex SHA-256 of a token, what the store keeps.
	 * @param secret the token
	 * @return 64 hex digits
	 */
	public static String hash(String secret) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			return HexFormat.of().formatHex(digest.digest(secret.getBytes(StandardCharsets.US_ASCII)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

	private static String target(ApiToken token) {
		return "token " + token.id() + " (" + token.name() + ")";
	}

	/**
	 * A token in the audit log: never the token or its hash.
	 */
	private static String describe(ApiToken token) {
		return "name: " + token.name() + "\nscope: " + token.scope().key() + "\nexpires: "
				+ ((token.expiresAt() != null) ? token.expiresAt() : "never") + "\nrevoked: "
				+ ((token.revokedAt() != null) ? token.revokedAt() : "no") + "\n";
	}

	/**
	 * A new token and its secret, shown once.
	 *
	 * @param token the stored token
	 * @param secret the token to hand to its user
	 */
	public record Created(ApiToken token, String secret) {
	}

}
