package dev.capuchin.plugin.auth;

import java.text.ParseException;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

/**
 * The private keys an OpenID login's client signs its {@code private_key_jwt} assertions
 * with (RFC 7523): read from a PEM block or a JWK, or generated, and the public JWK set
 * an admin registers at the provider. The {@code private-key} of an {@code openid} block
 * is read here, and the control plane checks pasted keys with the same rules.
 */
public final class OpenIdClientKeys {

	/** The size of a generated RSA key; also the least accepted. */
	public static final int RSA_BITS = 2048;

	/** The longest key text accepted: an RSA 8192 PEM is about 6.4 KB. */
	public static final int MAX_TEXT = 10_000;

	private static final Set<Curve> CURVES = Set.of(Curve.P_256, Curve.P_384, Curve.P_521);

	private OpenIdClientKeys() {
	}

	/**
	 * Read a private key: a PEM block (RSA as {@code PRIVATE KEY} or
	 * {@code RSA PRIVATE KEY}, EC as {@code EC PRIVATE KEY}) or a private JWK (JSON). The
	 * key is never quoted in a message.
	 * @param field the field, for messages
	 * @param text the key
	 * @return the key pair as a JWK, with a key id (its RFC 7638 thumbprint unless it has
	 * one) and an algorithm (RS256, or ES256/384/512 by curve, unless it has one)
	 * @throws IllegalArgumentException naming the field
	 */
	public static JWK parse(String field, String text) {
		String expected = " (expected: an RSA key of at least " + RSA_BITS + " bits or an EC key on P-256, P-384 "
				+ "or P-521, private, as PEM (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY) or as a JWK)";
		if (text == null || text.isBlank() || text.length() > MAX_TEXT) {
			throw new IllegalArgumentException(
					field + ": missing or longer than " + MAX_TEXT + " characters" + expected);
		}
		JWK key;
		try {
			String trimmed = text.trim();
			key = trimmed.startsWith("{") ? JWK.parse(trimmed) : JWK.parseFromPEMEncodedObjects(trimmed);
		}
		catch (ParseException | JOSEException | RuntimeException ex) {
			throw new IllegalArgumentException(field + ": not a key that can be read" + expected);
		}
		if (!key.isPrivate()) {
			throw new IllegalArgumentException(field + ": a public key only" + expected);
		}
		if (key instanceof RSAKey rsa) {
			if (rsa.size() < RSA_BITS) {
				throw new IllegalArgumentException(field + ": an RSA key of " + rsa.size() + " bits" + expected);
			}
			return new RSAKey.Builder(rsa).keyID(keyId(rsa))
				.algorithm((rsa.getAlgorithm() != null) ? rsa.getAlgorithm() : JWSAlgorithm.RS256)
				.keyUse(KeyUse.SIGNATURE)
				.build();
		}
		if (key instanceof ECKey ec && CURVES.contains(ec.getCurve())) {
			JWSAlgorithm algorithm = Curve.P_384.equals(ec.getCurve()) ? JWSAlgorithm.ES384
					: Curve.P_521.equals(ec.getCurve()) ? JWSAlgorithm.ES512 : JWSAlgorithm.ES256;
			return new ECKey.Builder(ec).keyID(keyId(ec))
				.algorithm((ec.getAlgorithm() != null) ? ec.getAlgorithm() : algorithm)
				.keyUse(KeyUse.SIGNATURE)
				.build();
		}
		throw new IllegalArgumentException(field + ": a " + key.getKeyType() + " key" + expected);
	}

	/**
	 * A new RSA key of {@value #RSA_BITS} bits for RS256, which every provider that takes
	 * {@code private_key_jwt} accepts.
	 * @return the key pair, its thumbprint as key id
	 */
	public static JWK generate() {
		try {
			return new RSAKeyGenerator(RSA_BITS).keyUse(KeyUse.SIGNATURE)
				.algorithm(JWSAlgorithm.RS256)
				.keyIDFromThumbprint(true)
				.generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("no RSA key generator", ex);
		}
	}

	/**
	 * The public JWK set to register at the provider ({@code jwks} of the client).
	 * @param key the key pair
	 * @return {@code {"keys":[...]}}, the public half only
	 */
	public static String publicJwkSet(JWK key) {
		return new JWKSet(key.toPublicJWK()).toString(true);
	}

	private static String keyId(JWK key) {
		if (key.getKeyID() != null) {
			return key.getKeyID();
		}
		try {
			return key.computeThumbprint().toString();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("no SHA-256", ex);
		}
	}

}
