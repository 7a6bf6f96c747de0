package dev.capuchin.plugin.auth.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Pattern;

import dev.capuchin.core.spi.Exchange;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import reactor.netty.http.server.HttpServerRequest;

import org.springframework.security.crypto.keygen.Base64StringKeyGenerator;
import org.springframework.security.crypto.keygen.StringKeyGenerator;

/**
 * What the {@code openid} mode reads of a request: whether it is a page navigation, the
 * redirect URI on the site's own host, the URL to come back to, and the random values of
 * a sign-in (from Spring Security's key generators, as its OAuth2 client makes them).
 */
public final class OpenIdRequests {

	/** The reserved callback path on every site with an {@code openid} location. */
	public static final String CALLBACK = "/.capuchin/openid/callback";

	/** The reserved logout path on every site with an {@code openid} location. */
	public static final String LOGOUT = "/.capuchin/openid/logout";

	/**
	 * The reserved back-channel logout path on every site with an {@code openid} location
	 * (the {@code backchannel_logout_uri} to register at the provider).
	 */
	public static final String BACKCHANNEL_LOGOUT = "/.capuchin/openid/backchannel-logout";

	/** The path of the pending sign-in cookies: only the callback reads them. */
	public static final String PENDING_PATH = "/.capuchin/openid/";

	/** The longest original URL a pending sign-in keeps; longer ones come back to /. */
	static final int MAX_RETURN_URL = 2048;

	/** A Host header: a name or IPv4 address, or an IPv6 literal, and a port. */
	private static final Pattern HOST = Pattern
		.compile("([A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}\\])(:[0-9]{1,5})?");

	/** 256 bits for state and nonce. */
	private static final StringKeyGenerator RANDOM = new Base64StringKeyGenerator(
			Base64.getUrlEncoder().withoutPadding(), 32);

	/** A PKCE verifier of 128 characters (RFC 7636 section 4.1), as Spring Security's. */
	private static final StringKeyGenerator VERIFIER = new Base64StringKeyGenerator(
			Base64.getUrlEncoder().withoutPadding(), 96);

	private OpenIdRequests() {
	}

	/**
	 * Whether a request is a page navigation, which may be sent to sign in; a script's
	 * request gets 401 instead, as a redirect to another site would only fail in it. Not
	 * a navigation: a method other than GET and HEAD, {@code X-Requested-With},
	 * {@code Sec-Fetch-Mode} other than {@code navigate}, an {@code Accept} that asks for
	 * JSON and not HTML.
	 * @param request the request
	 * @return {@code true} for a navigation
	 */
	public static boolean isNavigation(HttpServerRequest request) {
		HttpMethod method = request.method();
		if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
			return false;
		}
		if (request.requestHeaders().contains("X-Requested-With")) {
			return false;
		}
		String mode = request.requestHeaders().get("Sec-Fetch-Mode");
		if (mode != null && !"navigate".equalsIgnoreCase(mode)) {
			return false;
		}
		String accept = request.requestHeaders().get(HttpHeaderNames.ACCEPT);
		return accept == null || accept.contains("text/html") || !accept.contains("json");
	}

	/**
	 * The callback URL on the host the browser asked for (the one to register at the
	 * provider); a malformed or missing Host gives the site's first server name.
	 * @param exchange the request
	 * @return the redirect URI
	 */
	public static String redirectUri(Exchange exchange) {
		String host = exchange.request().requestHeaders().get(HttpHeaderNames.HOST);
		if (host == null || !HOST.matcher(host).matches()) {
			host = exchange.site().serverNames().isEmpty() ? "localhost" : exchange.site().serverNames().get(0);
		}
		return (exchange.connection().isSecure() ? "https://" : "http://") + host + CALLBACK;
	}

	/**
	 * The URL to come back to after signing in: the request's own target, path and query,
	 * as it was sent.
	 * @param exchange the request
	 * @return a local path
	 */
	public static String returnUrl(Exchange exchange) {
		String uri = exchange.request().uri();
		return isLocal(uri) && uri.length() <= MAX_RETURN_URL ? uri : "/";
	}

	/**
	 * Whether a URL is a path on the same site: it starts with one {@code /} and nothing
	 * in it makes a browser read a host ({@code //evil}, {@code /\evil}), so redirecting
	 * to it can never leave the site.
	 * @param url the URL
	 * @return {@code true} when it is safe to redirect to
	 */
	public static boolean isLocal(String url) {
		if (url == null || url.isEmpty() || url.charAt(0) != '/') {
			return false;
		}
		if (url.length() > 1 && (url.charAt(1) == '/' || url.charAt(1) == '\\')) {
			return false;
		}
		for (int i = 0; i < url.length(); i++) {
			char c = url.charAt(i);
			if (c <= 0x20 || c >= 0x7f || c == '\\') {
				return false;
			}
		}
		return true;
	}

	/**
	 * A fresh state or nonce.
	 * @return 43 characters of base64url
	 */
	public static String random() {
		return RANDOM.generateKey();
	}

	/**
	 * A fresh PKCE code verifier.
	 * @return the verifier
	 */
	public static String verifier() {
		return VERIFIER.generateKey();
	}

	/**
	 * The {@code S256} code challenge of a verifier (RFC 7636 section 4.2).
	 * @param verifier the verifier
	 * @return the challenge
	 */
	public static String challenge(String verifier) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing", ex);
		}
	}

	/**
	 * Whether two secrets are equal, in constant time.
	 * @param a one
	 * @param b the other
	 * @return {@code true} when equal
	 */
	public static boolean same(String a, String b) {
		return a != null && b != null
				&& MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * The name of a pending sign-in's cookie: one per sign-in, so two tabs signing in at
	 * once do not overwrite each other's.
	 * @param state the sign-in's state
	 * @return the name
	 */
	public static String pendingCookie(String state) {
		return "capuchin-openid-pending-" + state.substring(0, Math.min(12, state.length()));
	}

}
