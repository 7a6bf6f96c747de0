package dev.capuchin.app.upstreams;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;
import dev.capuchin.app.users.ConsoleUser;
import dev.capuchin.plugin.proxy.Upstream;
import org.junit.jupiter.api.Test;

import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The Proxy pages over a real session with CSRF tokens, as a browser posts them, and the
 * upstreams' health component.
 */
class ConsoleProxyTests extends UpstreamTestSupport {

	private static final RequestPostProcessor VIEWER = user("proxy-viewer").roles("VIEWER");

	@Test
	void anUpstreamMadeInTheFormServesAtOnceAndItsServersAreDrainedEnabledAndRemoved() throws Exception {
		HttpServer one = backend("form one");
		HttpServer two = backend("form two");
		try {
			HttpClient client = browser();
			assertThat(signIn(client, "admin", PASSWORD).statusCode()).isEqualTo(302);
			HttpResponse<String> created = submit(client, "/console/proxy/new", "/console/proxy",
					"name=formed&balancer=round-robin&servers=" + encode(url(one) + "\n" + url(two) + " weight=2")
							+ "&maxFails=2&failTimeout=5s&healthPath=&healthInterval=");
			assertThat(created.statusCode()).as(created.body()).isEqualTo(302);
			assertThat(created.headers().firstValue("location"))
				.hasValueSatisfying((location) -> assertThat(location).endsWith("/console/proxy#upstream-formed"));
			Upstream stored = this.config.current().upstream("formed").orElseThrow();
			assertThat(stored.maxFails()).isEqualTo(2);
			assertThat(stored.servers().get(1).weight()).isEqualTo(2);
			site("formed-site", "formed.test", List.of(proxied("/", "formed")));
			assertThat(List.of(dataPlane("formed.test", "/").body(), dataPlane("formed.test", "/").body()))
				.containsAnyOf("form one", "form two");

			String page = httpGet(client, "/console/proxy").body();
			assertThat(page).contains("id=\"upstream-formed\"", url(one), "formed-site · path /",
					"hx-get=\"/console/live/proxy\"");
			assertThat(
					submit(client, "/console/proxy", "/console/proxy/formed/servers/drain", "url=" + encode(url(one)))
						.statusCode())
				.isEqualTo(302);
			assertThat(this.config.current().upstream("formed").orElseThrow().servers().get(0).drain()).isTrue();
			assertThat(httpGet(client, "/console/live/proxy").body()).contains("data-state=\"draining\"")
				.doesNotContain("<nav");
			for (int i = 0; i < 3; i++) {
				assertThat(dataPlane("formed.test", "/").body()).isEqualTo("form two");
			}
			assertThat(
					submit(client, "/console/proxy", "/console/proxy/formed/servers/enable", "url=" + encode(url(one)))
						.statusCode())
				.isEqualTo(302);
			assertThat(this.config.current().upstream("formed").orElseThrow().servers().get(0).drain()).isFalse();
			assertThat(
					submit(client, "/console/proxy", "/console/proxy/formed/servers/remove", "url=" + encode(url(two)))
						.statusCode())
				.isEqualTo(302);
			assertThat(this.config.current().upstream("formed").orElseThrow().servers()).hasSize(1);
			assertThat(dataPlane("formed.test", "/").body()).isEqualTo("form one");
		}
		finally {
			one.stop(0);
			two.stop(0);
		}
	}

	@Test
	void refusedValuesAreShownBesideTheirFieldsAndNothingIsStored() throws Exception {
		HttpClient client = browser();
		signIn(client, "admin", PASSWORD);
		HttpResponse<String> badLine = submit(client, "/console/proxy/new", "/console/proxy",
				"name=refused&balancer=naive&servers=" + encode("http://127.0.0.1:9501 heavy"));
		assertThat(badLine.statusCode()).isEqualTo(200);
		assertThat(badLine.body()).contains("id=\"servers-error\"",
				"Line 1: &#39;heavy&#39; (expected: weight=N, backup or drain after the URL)");
		HttpResponse<String> badUrl = submit(client, "/console/proxy/new", "/console/proxy",
				"name=refused&balancer=naive&servers=" + encode("ftp://127.0.0.1:21"));
		assertThat(badUrl.body()).contains("id=\"servers-error\"", "servers[0].url: ");
		HttpResponse<String> badTimeout = submit(client, "/console/proxy/new", "/console/proxy",
				"name=refused&balancer=naive&servers=" + encode("http://127.0.0.1:9501") + "&failTimeout=soon");
		assertThat(badTimeout.body()).contains("id=\"failTimeout-error\"", "fail-timeout: ");
		HttpResponse<String> badName = submit(client, "/console/proxy/new", "/console/proxy",
				"name=" + encode("no spaces") + "&balancer=naive&servers=" + encode("http://127.0.0.1:9501"));
		assertThat(badName.body()).contains("id=\"name-error\"");
		assertThat(this.config.current().upstream("refused")).isEmpty();
		assertThat(httpPost(client, "/console/proxy", "name=nocsrf&balancer=naive&servers=http%3A%2F%2F127.0.0.1%3A1")
			.statusCode()).isEqualTo(403);
	}

	@Test
	void anUpstreamInUseIsNotDeletedAndAnUnusedOneIs() throws Exception {
		HttpClient client = browser();
		signIn(client, "admin", PASSWORD);
		api("POST", "/api/upstreams", upstream("kept-in-use", "naive", "http://127.0.0.1:9601"));
		api("POST", "/api/upstreams", upstream("unused", "naive", "http://127.0.0.1:9602"));
		site("in-use-site", "in-use.test", List.of(proxied("/api/", "kept-in-use")));
		assertThat(httpGet(client, "/console/proxy/kept-in-use/delete").body()).contains("id=\"in-use\"",
				"site in-use-site locations[0] (path /api/)");
		HttpResponse<String> refused = submit(client, "/console/proxy", "/console/proxy/kept-in-use/delete", "");
		assertThat(refused.statusCode()).isEqualTo(302);
		assertThat(this.config.current().upstream("kept-in-use")).isPresent();
		assertThat(submit(client, "/console/proxy/unused/delete", "/console/proxy/unused/delete", "").statusCode())
			.isEqualTo(302);
		assertThat(this.config.current().upstream("unused")).isEmpty();
	}

	@Test
	void viewersSeeTheUpstreamsWithoutTheirActions() throws Exception {
		account("proxy-viewer", ConsoleUser.Role.VIEWER, "viewer-password-1");
		api("POST", "/api/upstreams", upstream("viewed", "naive", "http://127.0.0.1:9701"));
		this.mvc.perform(get("/console/proxy").with(VIEWER))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("id=\"upstream-viewed\"")))
			.andExpect(content().string(containsString(">Proxy</a>")))
			.andExpect(content().string(not(containsString("drain-server"))))
			.andExpect(content().string(not(containsString("id=\"new-upstream\""))));
		this.mvc
			.perform(post("/console/proxy/viewed/servers/drain").param("url", "http://127.0.0.1:9701")
				.with(VIEWER)
				.with(csrf()))
			.andExpect(status().isForbidden());
		this.mvc.perform(get("/console/proxy/nowhere").with(VIEWER)).andExpect(status().isNotFound());
	}

	@Test
	void healthHasAnIndicatorPerUpstreamUpWhileAPrimaryServerIsUp() throws Exception {
		HttpServer backend = backend("healthy");
		try {
			api("POST", "/api/upstreams", upstream("checked", "naive", url(backend)));
			api("POST", "/api/upstreams", upstream("idle", "naive", "http://127.0.0.1:9801"));
			site("checked-site", "checked.test", List.of(proxied("/", "checked")));
			assertThat(dataPlane("checked.test", "/").body()).isEqualTo("healthy");
			Map<String, Object> upstreams = component(object(api("GET", "/actuator/health", null)), "upstreams");
			Map<String, Object> checked = component(upstreams, "checked");
			assertThat(checked).containsEntry("status", "UP");
			assertThat(checked.get("details")).isEqualTo(Map.of(url(backend), "up"));
			assertThat(component(upstreams, "idle")).containsEntry("status", "UNKNOWN");
			String capuchin = api("GET", "/actuator/capuchin", null).body();
			assertThat(capuchin).contains("\"name\":\"checked\"", "\"state\":\"up\"", "\"in-flight\":",
					"\"requests-per-minute\":");
		}
		finally {
			backend.stop(0);
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> component(Map<String, Object> health, String name) {
		return (Map<String, Object>) ((Map<String, Object>) health.get("components")).get(name);
	}

	private HttpResponse<String> submit(HttpClient client, String page, String action, String body) throws Exception {
		String token = csrfToken(httpGet(client, page).body());
		return httpPost(client, action, (body.isEmpty() ? "" : body + "&") + "_csrf=" + token);
	}

	private static String encode(String text) {
		return URLEncoder.encode(text, StandardCharsets.UTF_8);
	}

}
