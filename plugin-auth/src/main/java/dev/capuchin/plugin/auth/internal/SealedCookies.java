package dev.capuchin.plugin.auth.internal;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.crypto.DirectDecrypter;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.CookieHeaderNames.SameSite;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import reactor.netty.http.server.HttpServerRequest;

/**
 * The {@code openid} mode's cookies: JWTs encrypted with Nimbus as JWE ({@code dir},
 * {@code A256GCM}) under a login's session key, so that any node holding the key can read
 * them and no one without it can read or change them (AES-GCM authenticates what it
 * encrypts). The header's {@code kid} names the login; the {@code use} claim tells a
 * session from a pending sign-in, so one cannot stand in for the other.
 */
public final class SealedCookies {

	/** The {@code use} of a session cookie. */
	public static final String SESSION = "session";

	/** The {@code use} of a pending sign-in's cookie. */
	public static final String PENDING = "pending";

	/**
	 * The longest cookie written or read: browsers keep at least 4096 bytes per cookie
	 * (RFC 6265 section 6.1), and a longer one would be dropped without a word.
	 */
	public static final int MAX_COOKIE = 4000;

	private SealedCookies() {
	}

	/**
	 * Encrypt claims for a login.
	 * @param login the login's name, as the {@code kid}
	 * @param key the login's 256-bit session key
	 * @param claims the claims, with {@code use} and {@code exp}
	 * @return the compact JWE
	 */
	public static String seal(String login, byte[] key, JWTClaimsSet claims) {
		EncryptedJWT jwt = new EncryptedJWT(
				new JWEHeader.Builder(JWEAlgorithm.DIR, EncryptionMethod.A256GCM).keyID(login).build(), claims);
		try {
			jwt.encrypt(new DirectEncrypter(key));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("session key refused by AES-GCM", ex);
		}
		return jwt.serialize();
	}

	/**
	 * The login a sealed cookie names, read from its header without decrypting.
	 * @param value the cookie's value
	 * @return the login, or {@code null} when the value is not a JWE
	 */
	public static String login(String value) {
		try {
			return EncryptedJWT.parse(value).getHeader().getKeyID();
		}
		catch (ParseException ex) {
			return null;
		}
	}

	/**
	 * Decrypt and check a cookie.
	 * @param value the cookie's value
	 * @param key the login's session key
	 * @param use the {@code use} it must have
	 * @param now the time now
	 * @return the claims, or {@code null} when the cookie was not sealed with this key,
	 * was changed, is for another use, or has expired
	 */
	public static JWTClaimsSet open(String value, byte[] key, String use, Instant now) {
		if (value == null || value.length() > MAX_COOKIE) {
			return null;
		}
		try {
			EncryptedJWT jwt = EncryptedJWT.parse(value);
			JWEHeader header = jwt.getHeader();
			if (!JWEAlgorithm.DIR.equals(header.getAlgorithm())
					|| !EncryptionMethod.A256GCM.equals(header.getEncryptionMethod())) {
				return null;
			}
			jwt.decrypt(new DirectDecrypter(key));
			JWTClaimsSet claims = jwt.getJWTClaimsSet();
			if (!use.equals(claims.getStringClaim("use")) || claims.getExpirationTime() == null
					|| !now.isBefore(claims.getExpirationTime().toInstant())) {
				return null;
			}
			return claims;
		}
		catch (ParseException | JOSEException | IllegalStateException ex) {
			return null;
		}
	}

	/**
	 * A request's cookie by name.
	 * @param request the request
	 * @param name the cookie's name
	 * @return the value, or {@code null}
	 */
	public static String read(HttpServerRequest request, String name) {
		for (String header : request.requestHeaders().getAll(HttpHeaderNames.COOKIE)) {
			String value = value(header, name);
			if (value != null) {
				return value;
			}
		}
		return null;
	}

	/**
	 * A cookie by name in one {@code Cookie} header.
	 * @param header the header's value
	 * @param name the cookie's name
	 * @return the value, or {@code null}
	 */
	public static String value(String header, String name) {
		if (header.contains(name)) {
			Set<Cookie> cookies = ServerCookieDecoder.LAX.decode(header);
			for (Cookie cookie : cookies) {
				if (name.equals(cookie.name())) {
					return cookie.value();
				}
			}
		}
		return null;
	}

	/**
	 * A {@code Set-Cookie} value: HttpOnly, SameSite=Lax (sent on the top-level
	 * navigation back from the provider, never on cross-site subrequests), Secure over
	 * TLS.
	 * @param name the name
	 * @param value the value, or {@code null} to delete the cookie
	 * @param path the path
	 * @param maxAge how long the browser keeps it
	 * @param secure whether the request came over TLS
	 * @return the header value
	 */
	public static String setCookie(String name, String value, String path, Duration maxAge, boolean secure) {
		DefaultCookie cookie = new DefaultCookie(name, (value != null) ? value : "");
		cookie.setPath(path);
		cookie.setHttpOnly(true);
		cookie.setSecure(secure);
		cookie.setSameSite(SameSite.Lax);
		cookie.setMaxAge((value != null) ? Math.max(0, maxAge.toSeconds()) : 0);
		return ServerCookieEncoder.STRICT.encode(cookie);
	}

}
