package dev.capuchin.app.identity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which paths {@link PublicPathsFilter} lets through on the public identity listener,
 * decided by the request's local port; the socket-level behaviour is in
 * {@link IdentityListenerTests}.
 */
class PublicPathsFilterTests {

	private static final int PUBLIC_PORT = 8443;

	private static final int CONTROL_PORT = 2020;

	private final PublicPathsFilter filter = new PublicPathsFilter(() -> PUBLIC_PORT);

	@ParameterizedTest
	@ValueSource(strings = { "/.well-known/openid-configuration", "/.well-known/oauth-authorization-server",
			"/oauth2/authorize", "/oauth2/token", "/oauth2/jwks", "/oauth2/introspect", "/oauth2/revoke",
			"/oauth2/device_authorization", "/oauth2/device_verification", "/userinfo", "/connect/logout",
			"/identity/sign-in", "/identity/consent", "/console/css/console.css", "/console/img/capuchin.svg",
			"/webjars/bootstrap/dist/css/bootstrap.min.css" })
	void identityPathsPassOnThePublicListener(String path) throws Exception {
		MockFilterChain chain = new MockFilterChain();
		MockHttpServletResponse response = filter(PUBLIC_PORT, path, path, chain);
		assertThat(chain.getRequest()).isNotNull();
		assertThat(response.getStatus()).isEqualTo(200);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/", "/console", "/console/", "/console/login", "/console/js/console.js", "/api/sites",
			"/actuator/health", "/error", "/login", "/oauth2", "/userinfo/extra", "/identity", "/identityx/sign-in",
			"/.well-known/security.txt", "/webjars/htmx.org/dist/htmx.min.js" })
	void otherPathsAnswer404OnThePublicListener(String path) throws Exception {
		MockFilterChain chain = new MockFilterChain();
		MockHttpServletResponse response = filter(PUBLIC_PORT, path, path, chain);
		assertThat(chain.getRequest()).isNull();
		assertThat(response.getStatus()).isEqualTo(404);
		assertThat(response.getContentAsString()).isEqualTo("Not Found\n");
	}

	@Test
	void aPathSentOtherwiseThanTheContainerMappedItAnswers404OnThePublicListener() throws Exception {
		MockFilterChain chain = new MockFilterChain();
		MockHttpServletResponse response = filter(PUBLIC_PORT, "/console/../identity/sign-in", "/identity/sign-in",
				chain);
		assertThat(chain.getRequest()).isNull();
		assertThat(response.getStatus()).isEqualTo(404);
	}

	@Test
	void everyPathPassesOnTheControlListener() throws Exception {
		MockFilterChain chain = new MockFilterChain();
		MockHttpServletResponse response = filter(CONTROL_PORT, "/console/", "/console/", chain);
		assertThat(chain.getRequest()).isNotNull();
		assertThat(response.getStatus()).isEqualTo(200);
	}

	@Test
	void aHeadRequestGetsA404WithoutABody() throws Exception {
		MockHttpServletRequest request = request(PUBLIC_PORT, "/api/sites", "/api/sites");
		request.setMethod("HEAD");
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.filter.doFilter(request, response, new MockFilterChain());
		assertThat(response.getStatus()).isEqualTo(404);
		assertThat(response.getContentAsByteArray()).isEmpty();
	}

	private MockHttpServletResponse filter(int localPort, String requestUri, String servletPath, MockFilterChain chain)
			throws Exception {
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.filter.doFilter(request(localPort, requestUri, servletPath), response, chain);
		return response;
	}

	private static MockHttpServletRequest request(int localPort, String requestUri, String servletPath) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", requestUri);
		request.setLocalPort(localPort);
		request.setServletPath(servletPath);
		return request;
	}

}
