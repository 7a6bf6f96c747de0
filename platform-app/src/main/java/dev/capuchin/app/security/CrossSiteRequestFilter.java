package dev.capuchin.app.security;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a change to the API or Actuator that a browser sends from another site. These
 * endpoints take no CSRF token, because scripts call them and no cookie authenticates
 * them; but a browser remembers Basic credentials typed into its dialog and would send
 * them with a cross-site form post (a body-less {@code POST …/disable} needs no
 * preflight). Browsers mark such requests with {@code Sec-Fetch-Site} and {@code Origin};
 * scripts send neither, and pages of the control listener itself are same-origin.
 */
final class CrossSiteRequestFilter extends OncePerRequestFilter {

	private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!SAFE_METHODS.contains(request.getMethod()) && crossSite(request)) {
			ApiErrors.write(response, HttpServletResponse.SC_FORBIDDEN,
					"origin: a change sent by a browser from another site (expected: a script, or a page of this control listener)");
			return;
		}
		chain.doFilter(request, response);
	}

	private static boolean crossSite(HttpServletRequest request) {
		String fetchSite = request.getHeader("Sec-Fetch-Site");
		if (fetchSite != null) {
			String site = fetchSite.trim().toLowerCase(Locale.ROOT);
			return !site.equals("same-origin") && !site.equals("none");
		}
		String origin = request.getHeader("Origin");
		return origin != null && !sameOrigin(origin, request);
	}

	private static boolean sameOrigin(String origin, HttpServletRequest request) {
		try {
			URI uri = new URI(origin.trim());
			int port = (uri.getPort() != -1) ? uri.getPort() : ("https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80);
			return request.getScheme().equalsIgnoreCase(uri.getScheme())
					&& request.getServerName().equalsIgnoreCase(uri.getHost()) && request.getServerPort() == port;
		}
		catch (URISyntaxException ex) {
			return false;
		}
	}

}
