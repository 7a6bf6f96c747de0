package dev.capuchin.core.spi;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * What a plugin offers the kernel when it obtains certificates from an ACME CA (RFC
 * 8555): the files of each issued certificate, read when a client names the site, and the
 * answers to HTTP-01 challenges, which the kernel serves on plain-HTTP listeners before
 * any plugin, redirect or unavailable-site answer. The kernel asks the first plugin that
 * implements it.
 */
public interface CertificateProvider {

	/** The path prefix of HTTP-01 challenges (RFC 8555, section 8.3). */
	String CHALLENGE_PATH = "/.well-known/acme-challenge/";

	/** The name of a listener's default ACME certificate. */
	String LISTENER = "_listener";

	/**
	 * The files of an issued certificate. Called on an event loop for every TLS handshake
	 * that names an ACME site: it must not block (a look-up in memory).
	 * @param name the site's name, or {@link #LISTENER}
	 * @return the files, or {@code null} while none is issued (the listener's certificate
	 * answers then)
	 */
	@Nullable TlsCertificate certificate(String name);

	/**
	 * The key authorization that answers an HTTP-01 challenge.
	 * @param token the token, the last path segment after {@link #CHALLENGE_PATH}
	 * @return the key authorization, or empty when the token is unknown (a 404)
	 */
	Mono<String> challengeAnswer(String token);

}
