package dev.capuchin.app.openidlogins;

import java.util.Base64;
import java.util.function.Supplier;

import com.nimbusds.jose.jwk.JWK;
import dev.capuchin.app.identity.MasterKey;
import dev.capuchin.plugin.auth.OpenIdClientKeys;

/**
 * What the master key does for OpenID logins: encrypts and decrypts client secrets and
 * the private keys of {@code private-key-jwt} (AES-GCM, as the signing keys) and derives
 * each login's session key (HKDF-SHA256 with the info
 * {@code capuchin openid session <name>}), so every node of a cluster derives the same
 * key from the same master key and nothing more is stored. The master key is read on
 * first use, not at start.
 */
public final class OpenIdLoginKeys {

	/** What a session key is derived for, before the login's name. */
	static final String SESSION_INFO = "capuchin openid session ";

	/** What a sign-in state key is derived for, before its purpose. */
	static final String SIGN_IN_INFO = "capuchin openid sign-in state ";

	private final Supplier<MasterKey> masterKey;

	/**
	 * @param masterKey the master key, read when first asked for
	 */
	public OpenIdLoginKeys(Supplier<MasterKey> masterKey) {
		this.masterKey = masterKey;
	}

	/**
	 * Encrypt a client secret.
	 * @param plain the secret
	 * @return the IV and cipher text, Base64
	 */
	public String encrypt(String plain) {
		return this.masterKey.get().encrypt(plain);
	}

	/**
	 * Decrypt a client secret.
	 * @param encrypted what {@link #encrypt} made
	 * @return the secret
	 * @throws IllegalArgumentException when it does not decrypt with this master key
	 */
	public String decrypt(String encrypted) {
		try {
			return this.masterKey.get().decrypt(encrypted);
		}
		catch (IllegalStateException | IllegalArgumentException ex) {
			throw new IllegalArgumentException("client-secret-encrypted: does not decrypt with this master key "
					+ "(expected: exported with the same " + MasterKey.ENVIRONMENT_VARIABLE + " or key file, or give "
					+ "client-secret in plain)");
		}
	}

	/**
	 * Encrypt a login's private key.
	 * @param key the key pair
	 * @return the IV and cipher text of its JWK, Base64
	 */
	public String encryptKey(JWK key) {
		return encrypt(key.toJSONString());
	}

	/**
	 * Decrypt a login's private key.
	 * @param encrypted what {@link #encryptKey} made
	 * @return the key pair
	 * @throws IllegalArgumentException when it does not decrypt with this master key, or
	 * is not a key
	 */
	public JWK privateKey(String encrypted) {
		String json;
		try {
			json = this.masterKey.get().decrypt(encrypted);
		}
		catch (IllegalStateException | IllegalArgumentException ex) {
			throw new IllegalArgumentException("private-key-encrypted: does not decrypt with this master key "
					+ "(expected: exported with the same " + MasterKey.ENVIRONMENT_VARIABLE + " or key file, or give "
					+ "private-key in plain)");
		}
		return OpenIdClientKeys.parse("private-key-encrypted", json);
	}

	/**
	 * The key that seals the state of OpenID sign-ins in progress on the control plane
	 * ({@link SealedAuthorizationRequests}): the same on every node.
	 * @param purpose which sign-in, such as {@code console}
	 * @return 32 bytes
	 */
	public byte[] signInStateKey(String purpose) {
		return this.masterKey.get().derive(SIGN_IN_INFO + purpose);
	}

	/**
	 * The session key of a login: the same on every node with the same master key.
	 * @param login the login's name
	 * @return 32 bytes, Base64
	 */
	public String sessionKey(String login) {
		return Base64.getEncoder().encodeToString(this.masterKey.get().derive(SESSION_INFO + login));
	}

}
