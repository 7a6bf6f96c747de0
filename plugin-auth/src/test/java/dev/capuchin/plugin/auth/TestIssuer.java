package dev.capuchin.plugin.auth;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A small OpenID Connect issuer on loopback for the bearer tests: discovery, a JWK set of
 * RSA keys made with Nimbus, and an introspection endpoint (RFC 7662) that knows the
 * opaque tokens it was told about. It counts the JWK set fetches and can be stopped and
 * started again on the same port.
 */
final class TestIssuer implements AutoCloseable {

	static final String CLIENT_ID = "resource-server";

	static final String CLIENT_SECRET = "rs-s3cret";

	private final List<RSAKey> published = new ArrayList<>();

	private final Map<String, Map<String, Object>> opaque = new ConcurrentHashMap<>();

	private final AtomicInteger jwksFetches = new AtomicInteger();

	private final AtomicInteger introspections = new AtomicInteger();

	private volatile RSAKey signing;

	private final Map<String, String> codes = new ConcurrentHashMap<>();

	private volatile Consumer<JWTClaimsSet.Builder> idTokenClaims = (claims) -> {
	};

	private DisposableServer server;

	private int port;

	private TestIssuer() throws JOSEException {
		this.signing = new RSAKeyGenerator(2048).keyID("key-1").generate();
		this.published.add(this.signing);
	}

	/** Start on an ephemeral port. */
	static TestIssuer start() throws JOSEException {
		TestIssuer issuer = new TestIssuer();
		issuer.bind(0);
		return issuer;
	}

	/** Start on a given port (an issuer that comes back). */
	static TestIssuer startOn(int port) throws JOSEException {
		TestIssuer issuer = new TestIssuer();
		issuer.bind(port);
		return issuer;
	}

	private void bind(int port) {
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(port)
			.route((routes) -> routes
				.get("/.well-known/openid-configuration", (request, response) -> json(response, discovery()))
				.get("/jwks", (request, response) -> {
					this.jwksFetches.incrementAndGet();
					return json(response, jwks());
				})
				.post("/introspect", this::introspect)
				.get("/authorize", this::authorize)
				.post("/token", this::token))
			.bindNow();
		this.port = this.server.port();
	}

	String url() {
		return "http://127.0.0.1:" + this.port;
	}

	int port() {
		return this.port;
	}

	int jwksFetches() {
		return this.jwksFetches.get();
	}

	int introspections() {
		return this.introspections.get();
	}

	/**
	 * Sign a token: by default issued by this issuer for {@code alice}, audience
	 * {@code capuchin-api}, scopes {@code read write}, valid for five minutes.
	 */
	String token(Consumer<JWTClaimsSet.Builder> customizer) throws JOSEException {
		return sign(this.signing, customizer);
	}

	String sign(RSAKey key, Consumer<JWTClaimsSet.Builder> customizer) throws JOSEException {
		Instant now = Instant.now();
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(url())
			.subject("alice")
			.audience("capuchin-api")
			.claim("scope", "read write")
			.claim("email", "alice@example.com")
			.issueTime(java.util.Date.from(now))
			.expirationTime(java.util.Date.from(now.plusSeconds(300)));
		customizer.accept(claims);
		SignedJWT jwt = new SignedJWT(
				new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(),
				claims.build());
		jwt.sign(new RSASSASigner(key));
		return jwt.serialize();
	}

	/** A new signing key, published beside the old one (a rotation with overlap). */
	synchronized RSAKey rotate(String keyId) throws JOSEException {
		RSAKey next = new RSAKeyGenerator(2048).keyID(keyId).generate();
		this.published.add(next);
		this.signing = next;
		return next;
	}

	/** An opaque token the introspection endpoint answers for. */
	void opaque(String token, Map<String, Object> answer) {
		this.opaque.put(token, answer);
	}

	private Map<String, Object> discovery() {
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("issuer", url());
		document.put("jwks_uri", url() + "/jwks");
		document.put("introspection_endpoint", url() + "/introspect");
		document.put("authorization_endpoint", url() + "/authorize");
		document.put("token_endpoint", url() + "/token");
		return document;
	}

	private synchronized Map<String, Object> jwks() {
		return new JWKSet(new ArrayList<JWK>(this.published)).toJSONObject(true);
	}

	private Mono<Void> introspect(HttpServerRequest request, HttpServerResponse response) {
		this.introspections.incrementAndGet();
		String expected = "Basic " + Base64.getEncoder()
			.encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
		if (!expected.equals(request.requestHeaders().get(HttpHeaderNames.AUTHORIZATION))) {
			return response.status(401).send();
		}
		return request.receive().aggregate().asString().flatMap((body) -> {
			List<String> tokens = new QueryStringDecoder(body, false).parameters().get("token");
			Map<String, Object> answer = (tokens != null) ? this.opaque.get(tokens.get(0)) : null;
			return json(response, (answer != null) ? answer : Map.of("active", false)).then();
		});
	}

	/** What the token endpoint puts in the ID tokens it issues, beside the nonce. */
	void idTokenClaims(Consumer<JWTClaimsSet.Builder> customizer) {
		this.idTokenClaims = customizer;
	}

	/**
	 * A provider's authorization endpoint that signs alice in at once: back to the
	 * redirect URI with a code that remembers the nonce.
	 */
	private Mono<Void> authorize(HttpServerRequest request, HttpServerResponse response) {
		Map<String, List<String>> query = new QueryStringDecoder(request.uri()).parameters();
		String code = "code-" + this.codes.size();
		this.codes.put(code, query.get("nonce").get(0));
		return response.status(302)
			.header(HttpHeaderNames.LOCATION,
					query.get("redirect_uri").get(0) + "?code=" + code + "&state=" + query.get("state").get(0))
			.send();
	}

	/** A token endpoint that answers any code it issued with an ID token for it. */
	private Mono<Void> token(HttpServerRequest request, HttpServerResponse response) {
		return request.receive().aggregate().asString().flatMap((body) -> {
			String code = new QueryStringDecoder(body, false).parameters().get("code").get(0);
			String nonce = this.codes.get(code);
			try {
				String idToken = token((claims) -> {
					claims.audience("capuchin").claim("nonce", nonce).claim("preferred_username", "alice");
					this.idTokenClaims.accept(claims);
				});
				return json(response, Map.of("access_token", "opaque-access", "token_type", "Bearer", "expires_in", 300,
						"id_token", idToken));
			}
			catch (JOSEException ex) {
				return Mono.error(ex);
			}
		});
	}

	private static Mono<Void> json(HttpServerResponse response, Map<String, Object> body) {
		return response.header(HttpHeaderNames.CONTENT_TYPE, "application/json")
			.sendString(Mono.just(JSONObjectUtils.toJSONString(body)))
			.then();
	}

	void stop() {
		this.server.disposeNow();
	}

	@Override
	public void close() {
		if (!this.server.isDisposed()) {
			stop();
		}
	}

}
