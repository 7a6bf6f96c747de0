package dev.capuchin.plugin.auth.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.factories.DefaultJWSSignerFactory;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * What a login's client sends to the token endpoint to prove itself, for the code
 * exchange and the refresh alike: an HTTP Basic header ({@code client-secret-basic}), the
 * id and secret in the form ({@code client-secret-post}), a client assertion signed with
 * its private key by Nimbus ({@code private-key-jwt}, RFC 7523 section 2.2), or only its
 * id (a public client).
 *
 * @param authorization the {@code Authorization} value, or {@code null}
 * @param form what is appended to the form, starting with {@code &}
 */
public record TokenEndpointCredentials(String authorization, String form) {

	/** RFC 7523 section 2.2: the assertion type of a JWT client assertion. */
	static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

	/**
	 * How long a client assertion is good for: long enough for one request, short enough
	 * that a copy in a log is of no use.
	 */
	static final long ASSERTION_SECONDS = 60;

	/**
	 * The credentials of one token request.
	 * @param block the login
	 * @param tokenEndpoint the provider's token endpoint: the audience of an assertion
	 * @param now the time
	 * @return the credentials
	 */
	public static TokenEndpointCredentials of(OpenIdBlock block, String tokenEndpoint, Instant now) {
		String clientId = "&client_id=" + Issuer.form(block.clientId());
		return switch (block.clientAuth()) {
			case NONE -> new TokenEndpointCredentials(null, clientId);
			case CLIENT_SECRET_BASIC -> new TokenEndpointCredentials(basic(block), "");
			case CLIENT_SECRET_POST ->
				new TokenEndpointCredentials(null, clientId + "&client_secret=" + Issuer.form(block.clientSecret()));
			case PRIVATE_KEY_JWT -> new TokenEndpointCredentials(null, clientId + "&client_assertion_type="
					+ Issuer.form(JWT_BEARER) + "&client_assertion=" + assertion(block, tokenEndpoint, now));
		};
	}

	private static String basic(OpenIdBlock block) {
		// RFC 6749 section 2.3.1: both parts form-encoded before base64
		String pair = Issuer.form(block.clientId()) + ":" + Issuer.form(block.clientSecret());
		return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * A client assertion: issuer and subject the client id, audience the token endpoint
	 * (RFC 7523 section 3), a fresh {@code jti} so the provider can refuse a replay.
	 */
	static String assertion(OpenIdBlock block, String tokenEndpoint, Instant now) {
		JWK key = block.clientKey();
		JWSAlgorithm algorithm = algorithm(key);
		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(block.clientId())
			.subject(block.clientId())
			.audience(tokenEndpoint)
			.jwtID(UUID.randomUUID().toString())
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plusSeconds(ASSERTION_SECONDS)))
			.build();
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).build(), claims);
		try {
			jwt.sign(new DefaultJWSSignerFactory().createJWSSigner(key, algorithm));
		}
		catch (JOSEException ex) {
			// the key was checked when the block was read
			throw new IllegalStateException("login " + block.login() + ": client assertion not signed", ex);
		}
		return jwt.serialize();
	}

	/**
	 * The signing algorithm of a client key: its own {@code alg}, else RS256 for RSA and
	 * the curve's ES algorithm for EC, as providers expect by default.
	 * @param key the key
	 * @return the algorithm
	 */
	static JWSAlgorithm algorithm(JWK key) {
		if (key.getAlgorithm() != null) {
			return JWSAlgorithm.parse(key.getAlgorithm().getName());
		}
		if (key instanceof ECKey ec) {
			Curve curve = ec.getCurve();
			return Curve.P_384.equals(curve) ? JWSAlgorithm.ES384
					: Curve.P_521.equals(curve) ? JWSAlgorithm.ES512 : JWSAlgorithm.ES256;
		}
		return JWSAlgorithm.RS256;
	}

}
