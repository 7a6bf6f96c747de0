package dev.capuchin.plugin.auth;

import java.util.Map;
import java.util.Set;

import dev.capuchin.core.spi.Exchange;
import reactor.core.publisher.Mono;

/**
 * One way of authenticating requests on a location, chosen by the {@code mode} key of the
 * location's {@code auth:} block. The plugin owns what every mode shares (realm,
 * {@link Require}, the 401/403/429 responses, the failure throttle, the user attribute);
 * a mode reads its own keys once when a site table is prepared and checks one request's
 * credentials.
 * <p>
 * {@link BasicAuthMode} ({@code mode: basic}) is the default; a token or login-session
 * mode is another implementation with its own keys.
 */
public interface AuthMode {

	/**
	 * The mode's name, as in {@code mode:} of a location's {@code auth:} block.
	 * @return the name
	 */
	String name();

	/**
	 * The authentication scheme this mode checks (RFC 9110 §11.1), as CGI's
	 * {@code AUTH_TYPE} and the exchange attribute {@link Exchange#AUTH_TYPE} name it.
	 * @return such as {@code Basic}
	 */
	String scheme();

	/**
	 * The keys of an {@code auth:} block this mode reads, beside the common {@code mode},
	 * {@code realm} and {@code require}.
	 * @return the keys
	 */
	Set<String> keys();

	/**
	 * Read and check this mode's keys of one location's {@code auth:} block, while a site
	 * table is prepared (on the control thread, so it may read files).
	 * @param field the block's name for messages, such as
	 * {@code site shop: locations[0].auth}
	 * @param block the raw block
	 * @param realm the location's realm
	 * @return the mode's compiled settings, handed back in
	 * {@link LocationAuth#modeSettings()}
	 * @throws IllegalArgumentException naming the field when a key is invalid
	 */
	Object compile(String field, Map<String, Object> block, String realm);

	/**
	 * The result for a request when it is known at once, without any work that could
	 * block or wait: no or malformed credentials, or credentials verified a moment ago
	 * and cached. Most requests of a busy client end here, and the plugin then answers
	 * them without assembling a reactive pipeline.
	 * @param exchange the request
	 * @param auth the location's compiled settings
	 * @return the result, or {@code null} when {@link #authenticate} must check
	 */
	AuthResult immediate(Exchange exchange, LocationAuth auth);

	/**
	 * Check the credentials of a request on a location with this mode, when
	 * {@link #immediate} did not know the result. Runs on the request's event loop: work
	 * that blocks (hashing, file checks) goes to a bounded scheduler.
	 * @param exchange the request
	 * @param auth the location's compiled settings
	 * @return the result; never an error for bad credentials
	 */
	Mono<AuthResult> authenticate(Exchange exchange, LocationAuth auth);

}
