package dev.capuchin.app.openidlogins;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.jwk.JWKSet;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fetches a provider's discovery document ({@code /.well-known/openid-configuration},
 * OpenID Connect Discovery 1.0 §4) and its keys, with a time limit and a size limit on
 * each. An issuer whose document names another issuer is refused (§4.3: otherwise a
 * document anywhere could claim any provider's tokens). Called from the console, the API
 * and the health check, never on the data plane's event loop.
 */
public final class OpenIdDiscovery {

	/** The longest discovery document or key set read: larger ones are refused. */
	static final int MAX_DOCUMENT = 256 * 1024;

	private static final JsonMapper json = JsonMapper.shared();

	private final HttpClient http;

	private final Duration timeout;

	/**
	 * @param timeout how long a fetch may take, connection included
	 */
	public OpenIdDiscovery(Duration timeout) {
		this.timeout = timeout;
		// redirects are not followed: the issuer serves its own document
		this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
	}

	/**
	 * What a provider's discovery document says.
	 *
	 * @param issuer the issuer it names (the one asked for)
	 * @param authorizationEndpoint where browsers sign in
	 * @param tokenEndpoint where codes are exchanged
	 * @param userinfoEndpoint the user info endpoint, or {@code null}
	 * @param jwksUri the signing keys
	 * @param endSessionEndpoint RP-initiated logout, or {@code null}
	 * @param signingAlgorithms {@code id_token_signing_alg_values_supported}
	 * @param scopes {@code scopes_supported}, or empty
	 * @param claims {@code claims_supported}, or empty
	 */
	public record Metadata(String issuer, String authorizationEndpoint, String tokenEndpoint, String userinfoEndpoint,
			String jwksUri, String endSessionEndpoint, List<String> signingAlgorithms, List<String> scopes,
			List<String> claims) {
	}

	/**
	 * Fetch and check an issuer's discovery document.
	 * @param issuer the issuer URL, checked by {@link OpenIdLoginRules#issuer}
	 * @return what it says
	 * @throws IllegalArgumentException naming the field: {@code issuer} for an
	 * unreachable provider or a document that names another issuer
	 */
	public Metadata discover(String issuer) {
		String location = (issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer)
				+ "/.well-known/openid-configuration";
		Map<?, ?> document;
		try {
			document = json.readValue(fetch(location), Map.class);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("issuer: " + location + " is not a JSON document");
		}
		Object named = document.get("issuer");
		if (!issuer.equals(named)) {
			throw new IllegalArgumentException("issuer: the discovery document at " + location + " names '" + named
					+ "' (expected: '" + issuer + "', the issuer itself)");
		}
		return new Metadata(issuer, endpoint(document, "authorization_endpoint", true),
				endpoint(document, "token_endpoint", true), endpoint(document, "userinfo_endpoint", false),
				endpoint(document, "jwks_uri", true), endpoint(document, "end_session_endpoint", false),
				strings(document.get("id_token_signing_alg_values_supported")),
				strings(document.get("scopes_supported")), strings(document.get("claims_supported")));
	}

	/**
	 * Fetch a provider's signing keys.
	 * @param metadata its discovery document
	 * @return the keys
	 * @throws IllegalArgumentException when they cannot be fetched or parsed
	 */
	public JWKSet keys(Metadata metadata) {
		try {
			return JWKSet.parse(fetch(metadata.jwksUri()));
		}
		catch (ParseException ex) {
			throw new IllegalArgumentException("jwks_uri: " + metadata.jwksUri() + " is not a JWK set");
		}
	}

	private String fetch(String url) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(url))
			.timeout(this.timeout)
			.header("Accept", "application/json")
			.GET()
			.build();
		try {
			HttpResponse<InputStream> response = this.http.send(request, HttpResponse.BodyHandlers.ofInputStream());
			try (InputStream body = response.body()) {
				if (response.statusCode() != 200) {
					throw new IllegalArgumentException(
							"issuer: " + url + " answered " + response.statusCode() + " (expected: 200)");
				}
				byte[] bytes = body.readNBytes(MAX_DOCUMENT + 1);
				if (bytes.length > MAX_DOCUMENT) {
					throw new IllegalArgumentException(
							"issuer: " + url + " is larger than " + MAX_DOCUMENT / 1024 + " KiB");
				}
				return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
			}
		}
		catch (IOException ex) {
			throw new IllegalArgumentException("issuer: " + url + " cannot be fetched (" + ex.getClass().getSimpleName()
					+ ((ex.getMessage() != null) ? ": " + ex.getMessage() : "") + ")");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalArgumentException("issuer: " + url + " was not fetched (interrupted)");
		}
	}

	private static String endpoint(Map<?, ?> document, String key, boolean required) {
		Object value = document.get(key);
		if (value == null && !required) {
			return null;
		}
		if (!(value instanceof String url) || !(url.startsWith("https://") || url.startsWith("http://"))) {
			throw new IllegalArgumentException(
					"issuer: the discovery document's " + key + " is '" + value + "' (expected: a URL)");
		}
		return url;
	}

	private static List<String> strings(Object value) {
		if (value instanceof List<?> list) {
			return list.stream().map(String::valueOf).limit(100).toList();
		}
		return List.of();
	}

}
