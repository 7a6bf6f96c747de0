package dev.capuchin.app.identity;

import java.sql.Timestamp;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The identity signing keys, kept in the store encrypted under the {@link MasterKey} so
 * every node signs and verifies with the same keys. One key is active and signs; a
 * rotation makes a new active key and keeps the previous one published (for verification)
 * until the longest-lived token it may have signed has expired. The first key is made
 * when it is first needed. Each node reads the keys again after {@code refresh}, so a
 * rotation on one node reaches the others within that time.
 */
public final class SigningKeys {

	private static final int RSA_BITS = 2048;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final Supplier<MasterKey> masterKey;

	private final Duration overlap;

	private final Duration refresh;

	private final Clock clock;

	private volatile Loaded loaded;

	/**
	 * @param jdbc the store
	 * @param transactions transactions on the store
	 * @param masterKey the master key, loaded when first needed
	 * @param overlap how long a replaced key stays published: at least the longest token
	 * lifetime
	 * @param refresh how long a node keeps the keys it read before reading them again
	 * @param clock the clock
	 */
	public SigningKeys(JdbcTemplate jdbc, TransactionTemplate transactions, Supplier<MasterKey> masterKey,
			Duration overlap, Duration refresh, Clock clock) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.masterKey = masterKey;
		this.overlap = overlap;
		this.refresh = refresh;
		this.clock = clock;
	}

	/**
	 * The keys, newest first, without their private parts.
	 * @return the keys
	 */
	public List<SigningKey> list() {
		return load().keys;
	}

	/**
	 * Make a new active key; the previous active key retires after the overlap.
	 * @return the new key
	 */
	public SigningKey rotate() {
		Instant now = this.clock.instant();
		SigningKey created = this.transactions.execute((status) -> {
			this.jdbc.update("update identity_signing_key set state = ?, retire_at = ? where state = ?",
					SigningKey.State.RETIRING.key(), Timestamp.from(now.plus(this.overlap)),
					SigningKey.State.ACTIVE.key());
			return insert(now);
		});
		this.loaded = null;
		return created;
	}

	/**
	 * The key that signs, with its private part: made on first use.
	 * @return the active key
	 */
	public RSAKey active() {
		Loaded keys = load();
		if (keys.active == null) {
			synchronized (this) {
				keys = load();
				if (keys.active == null) {
					this.transactions.executeWithoutResult((status) -> insert(this.clock.instant()));
					this.loaded = null;
					keys = load();
				}
			}
		}
		return keys.active;
	}

	/**
	 * Every published key, public parts only: the JWK set and the decoder read these.
	 * @return the published keys
	 */
	public List<JWK> published() {
		active();
		return load().published;
	}

	/**
	 * The keys that verify: the JWK set endpoint and the server's own decoder.
	 * @return a source of the published public keys
	 */
	public JWKSource<SecurityContext> verifying() {
		return (selector, context) -> selector.select(new com.nimbusds.jose.jwk.JWKSet(published()));
	}

	/**
	 * The key that signs: only the active key, so an encoder never has to choose.
	 * @return a source of the active private key
	 */
	public JWKSource<SecurityContext> signing() {
		return (JWKSelector selector, SecurityContext context) -> selector
			.select(new com.nimbusds.jose.jwk.JWKSet(active()));
	}

	/**
	 * Forget the keys read, so the next use reads the store again.
	 */
	public void refresh() {
		this.loaded = null;
	}

	private SigningKey insert(Instant now) {
		RSAKey key;
		try {
			key = new RSAKeyGenerator(RSA_BITS).keyID(UUID.randomUUID().toString())
				.keyUse(KeyUse.SIGNATURE)
				.algorithm(JWSAlgorithm.RS256)
				.generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("cannot make a signing key: " + ex.getMessage(), ex);
		}
		String encrypted = this.masterKey.get().encrypt(key.toJSONString());
		this.jdbc.update(
				"insert into identity_signing_key (kid, algorithm, state, encrypted_jwk, created_at, retire_at) values (?, ?, ?, ?, ?, null)",
				key.getKeyID(), JWSAlgorithm.RS256.getName(), SigningKey.State.ACTIVE.key(), encrypted,
				Timestamp.from(now));
		return new SigningKey(key.getKeyID(), JWSAlgorithm.RS256.getName(), SigningKey.State.ACTIVE, now, null);
	}

	private Loaded load() {
		Instant now = this.clock.instant();
		Loaded current = this.loaded;
		if (current != null && now.isBefore(current.readAt.plus(this.refresh))) {
			return current;
		}
		// keys whose tokens have all expired leave the set
		this.jdbc.update("delete from identity_signing_key where state = ? and retire_at < ?",
				SigningKey.State.RETIRING.key(), Timestamp.from(now));
		List<SigningKey> keys = new ArrayList<>();
		List<JWK> published = new ArrayList<>();
		RSAKey[] active = new RSAKey[1];
		this.jdbc.query(
				"select kid, algorithm, state, encrypted_jwk, created_at, retire_at from identity_signing_key order by created_at desc, kid",
				(rs) -> {
					Timestamp retireAt = rs.getTimestamp(6);
					SigningKey key = new SigningKey(rs.getString(1), rs.getString(2),
							SigningKey.State.of(rs.getString(3)), rs.getTimestamp(5).toInstant(),
							(retireAt != null) ? retireAt.toInstant() : null);
					keys.add(key);
					RSAKey jwk = parse(this.masterKey.get().decrypt(rs.getString(4)));
					published.add(jwk.toPublicJWK());
					// two nodes that made a first key at the same moment: the newest
					// signs
					if (active[0] == null && key.state() == SigningKey.State.ACTIVE) {
						active[0] = jwk;
					}
				});
		Loaded fresh = new Loaded(List.copyOf(keys), List.copyOf(published), active[0], now);
		this.loaded = fresh;
		return fresh;
	}

	private static RSAKey parse(String json) {
		try {
			return RSAKey.parse(json);
		}
		catch (ParseException ex) {
			throw new IllegalStateException("a stored signing key is not a JWK: " + ex.getMessage(), ex);
		}
	}

	private record Loaded(List<SigningKey> keys, List<JWK> published, RSAKey active, Instant readAt) {
	}

}
