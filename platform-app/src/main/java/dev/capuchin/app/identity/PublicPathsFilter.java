package dev.capuchin.app.identity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.function.IntSupplier;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first servlet filter on every request: on the public identity listener (told apart
 * by the request's local port) only the identity paths answer — discovery, the
 * authorization server's {@code /oauth2/*} endpoints, userinfo, RP-initiated logout, the
 * {@code /identity/*} sign-in and consent pages and the stylesheets and image they use.
 * Everything else there, {@code /console}, {@code /api} and {@code /actuator} included,
 * is answered 404 before any controller or security chain sees it, with a debug log line.
 * Requests on the control listener pass untouched.
 */
public final class PublicPathsFilter extends HttpFilter {

	private static final Logger logger = LoggerFactory.getLogger(PublicPathsFilter.class);

	/** Paths that answer as they are. */
	static final Set<String> EXACT = Set.of("/.well-known/openid-configuration",
			"/.well-known/oauth-authorization-server", "/userinfo", "/connect/logout");

	/** Path prefixes that answer: the endpoints, the pages and their assets. */
	static final List<String> PREFIXES = List.of("/oauth2/", "/identity/", "/console/css/", "/console/img/",
			"/webjars/bootstrap/");

	private static final byte[] NOT_FOUND = "Not Found\n".getBytes(StandardCharsets.US_ASCII);

	private final transient IntSupplier publicPort;

	/**
	 * A filter for the listener on the given port.
	 * @param publicPort the public identity listener's bound port, {@code -1} before it
	 * is bound
	 */
	public PublicPathsFilter(IntSupplier publicPort) {
		this.publicPort = publicPort;
	}

	@Override
	protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		if (request.getLocalPort() != this.publicPort.getAsInt() || answers(request)) {
			chain.doFilter(request, response);
			return;
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Public identity listener: 404 for {} {} from {} (not an identity path)", request.getMethod(),
					request.getRequestURI(), request.getRemoteAddr());
		}
		response.setStatus(HttpServletResponse.SC_NOT_FOUND);
		response.setContentType("text/plain;charset=US-ASCII");
		response.setContentLength(NOT_FOUND.length);
		if (!"HEAD".equals(request.getMethod())) {
			response.getOutputStream().write(NOT_FOUND);
		}
	}

	private static boolean answers(HttpServletRequest request) {
		String path = request.getServletPath() + ((request.getPathInfo() != null) ? request.getPathInfo() : "");
		String raw = request.getRequestURI().substring(request.getContextPath().length());
		// the path as sent must be the path the container mapped: no dot segments, path
		// parameters or encodings, which a prefix check could be fooled by
		return raw.equals(path) && identityPath(path);
	}

	/**
	 * Whether a path answers on the public identity listener.
	 * @param path a decoded, normalised path
	 * @return whether it is an identity path
	 */
	static boolean identityPath(String path) {
		if (EXACT.contains(path)) {
			return true;
		}
		for (String prefix : PREFIXES) {
			if (path.startsWith(prefix)) {
				return true;
			}
		}
		return false;
	}

}
