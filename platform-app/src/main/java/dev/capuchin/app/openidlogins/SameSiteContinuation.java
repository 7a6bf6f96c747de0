package dev.capuchin.app.openidlogins;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.web.util.HtmlUtils;

/**
 * The last step of an OpenID sign-in of the control plane, after the provider: where the
 * success or failure handler would redirect, the browser gets a page that moves on by
 * itself ({@code <meta http-equiv="refresh">}, no script) instead. A redirect answering
 * the callback continues the navigation the provider started on another site, so the
 * browser would still leave out the new {@code SameSite=Strict} session cookie and the
 * person would arrive signed out; a page of this site navigating on is a same-site
 * navigation, which carries it.
 */
public final class SameSiteContinuation {

	private SameSiteContinuation() {
	}

	/**
	 * A success handler whose redirect becomes the continuation page.
	 * @param handler the handler that decides where to go
	 * @return the handler
	 */
	public static AuthenticationSuccessHandler success(AuthenticationSuccessHandler handler) {
		return (request, response, authentication) -> handler.onAuthenticationSuccess(request, page(response),
				authentication);
	}

	/**
	 * A failure handler whose redirect becomes the continuation page, so the page saying
	 * why is read with the session that holds the reason.
	 * @param handler the handler that decides where to go
	 * @return the handler
	 */
	public static AuthenticationFailureHandler failure(AuthenticationFailureHandler handler) {
		return (request, response, exception) -> handler.onAuthenticationFailure(request, page(response), exception);
	}

	static HttpServletResponse page(HttpServletResponse response) {
		return new HttpServletResponseWrapper(response) {

			@Override
			public void sendRedirect(String location) throws IOException {
				continueTo(location);
			}

			// Servlet 6.1's other forms, where the container has them (no @Override: the
			// API jar compiled against may be 6.0)
			public void sendRedirect(String location, int status) throws IOException {
				continueTo(location);
			}

			public void sendRedirect(String location, boolean clearBuffer) throws IOException {
				continueTo(location);
			}

			public void sendRedirect(String location, int status, boolean clearBuffer) throws IOException {
				continueTo(location);
			}

			private void continueTo(String location) throws IOException {
				String target = HtmlUtils.htmlEscape(location, StandardCharsets.UTF_8.name());
				byte[] page = ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
						+ "<meta http-equiv=\"refresh\" content=\"0;url=" + target + "\"><title>Signing in</title>"
						+ "</head><body><p><a href=\"" + target + "\">Continue</a></p></body></html>")
					.getBytes(StandardCharsets.UTF_8);
				setStatus(HttpServletResponse.SC_OK);
				setContentType("text/html;charset=UTF-8");
				setHeader(HttpHeaders.CACHE_CONTROL, CacheControl.noStore().getHeaderValue());
				setHeader("Referrer-Policy", "no-referrer");
				setContentLength(page.length);
				getOutputStream().write(page);
				flushBuffer();
			}

		};
	}

}
