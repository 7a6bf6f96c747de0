package dev.capuchin.core.spi;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * What a plugin offers the kernel when it obtains certificates from an ACME CA (RFC
 * 8555): the files of each issued certificate, read when a client names the site, and the
 * answers to HTTP-01 challenges, which the kernel serves on plain-HTTP listeners before
 * any plugin, redirect or unavailable-site answer, and the certificates that answer
 * TLS-ALPN-01 challenges (RFC 8737) on TLS listeners. The kernel asks the first plugin
 * that implements it.
 */
public interface CertificateProvider {

	/** The path prefix of HTTP-01 challenges (RFC 8555, section 8.3). */
	String CHALLENGE_PATH = "/.well-known/acme-challenge/";

	/**
	 * The ALPN protocol of TLS-ALPN-01 validations (RFC 8737, section 6.2): a handshake
	 * that offers it is a CA's validation, never a browser's.
	 */
	String ACME_TLS_1 = "acme-tls/1";

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

	/**
	 * The certificate that answers a TLS-ALPN-01 challenge for a name, asked when a
	 * ClientHello offers {@link #ACME_TLS_1} only (a rare handshake: it may look in a
	 * store, off the event loop). The kernel shakes hands with it and closes the
	 * connection after the handshake.
	 * @param serverName the name the client sent by SNI, in lower case
	 * @return the certificate, or empty when no challenge for that name is pending (the
	 * handshake then goes on as any other)
	 */
	default Mono<AlpnChallenge> alpnChallenge(String serverName) {
		return Mono.empty();
	}

	/**
	 * A self-signed certificate carrying the {@code acmeIdentifier} extension of a
	 * TLS-ALPN-01 challenge (RFC 8737, section 3), with its key.
	 *
	 * @param privateKey the certificate's private key
	 * @param certificate the certificate
	 */
	record AlpnChallenge(PrivateKey privateKey, X509Certificate certificate) {

		public AlpnChallenge {
			Objects.requireNonNull(privateKey, "privateKey");
			Objects.requireNonNull(certificate, "certificate");
		}

	}

}
