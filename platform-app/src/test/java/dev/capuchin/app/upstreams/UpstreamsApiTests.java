package dev.capuchin.app.upstreams;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /api/upstreams} over real HTTP with the admin account, against real backends on
 * loopback: every change is live in the data plane at once.
 */
class UpstreamsApiTests extends UpstreamTestSupport {

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void anUpstreamCreatedThroughTheApiServesAtOnceAndListsItsServersState() throws Exception {
		HttpServer backend = backend("backend one");
		try {
			HttpResponse<String> created = api("POST", "/api/upstreams",
					upstream("served", "round-robin", url(backend)));
			assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
			assertThat(created.headers().firstValue("location")).hasValue("/api/upstreams/served");
			assertThat(object(created)).containsEntry("name", "served").containsEntry("balancer", "round-robin");
			site("served-site", "served.test", List.of(proxied("/app/", "served")));

			assertThat(dataPlane("served.test", "/app/x").body()).isEqualTo("backend one");
			Map<String, Object> listed = array(api("GET", "/api/upstreams", null)).stream()
				.filter((upstream) -> upstream.get("name").equals("served"))
				.findFirst()
				.orElseThrow();
			@SuppressWarnings("unchecked")
			List<Map<String, Object>> servers = (List<Map<String, Object>>) listed.get("servers");
			assertThat(servers).singleElement().satisfies((server) -> {
				assertThat(server).containsEntry("url", url(backend)).containsEntry("state", "up");
				assertThat(server).containsKeys("in-flight", "requests-per-minute", "failures-per-minute");
			});
			assertThat(listed.get("used-by"))
				.isEqualTo(List.of(Map.of("site", "served-site", "location", 0, "match", "path /app/")));
		}
		finally {
			backend.stop(0);
		}
	}

	@Test
	void aServerIsDrainedAndEnabledAsAnAuditedStoredChange() throws Exception {
		HttpServer one = backend("one");
		HttpServer two = backend("two");
		try {
			api("POST", "/api/upstreams", upstream("drained", "round-robin", url(one), url(two)));
			site("drained-site", "drained.test", List.of(proxied("/", "drained")));
			HttpResponse<String> drained = api("POST", "/api/upstreams/drained/servers/drain", Map.of("url", url(one)));
			assertThat(drained.statusCode()).as(drained.body()).isEqualTo(200);
			assertThat(servers("drained").get(0)).containsEntry("drain", true).containsEntry("state", "draining");
			for (int i = 0; i < 4; i++) {
				assertThat(dataPlane("drained.test", "/").body()).isEqualTo("two");
			}
			assertThat(this.jdbc.queryForObject(
					"select count(*) from audit_log where target = 'upstream drained' and after_value like '%drain: true%'",
					Integer.class))
				.isEqualTo(1);

			assertThat(api("POST", "/api/upstreams/drained/servers/enable", Map.of("url", url(one) + "/")).statusCode())
				.isEqualTo(200);
			assertThat(servers("drained").get(0)).containsEntry("drain", false).containsEntry("state", "up");
		}
		finally {
			one.stop(0);
			two.stop(0);
		}
	}

	@Test
	void anUpstreamIsReplacedAndDeletedWhenNoLocationUsesIt() throws Exception {
		api("POST", "/api/upstreams", upstream("replaced", "round-robin", "http://127.0.0.1:9101"));
		HttpResponse<String> replaced = api("PUT", "/api/upstreams/replaced", Map.of("balancer", "least-connections",
				"servers", List.of(Map.of("url", "http://127.0.0.1:9102")), "max-fails", 3));
		assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
		assertThat(object(replaced)).containsEntry("balancer", "least-connections").containsEntry("max-fails", 3);
		assertThat(api("DELETE", "/api/upstreams/replaced", null).statusCode()).isEqualTo(204);
		assertThat(api("GET", "/api/upstreams/replaced", null).statusCode()).isEqualTo(404);
	}

	@Test
	void refusalsAreJsonErrorsNamingTheField() throws Exception {
		api("POST", "/api/upstreams", upstream("taken", "round-robin", "http://127.0.0.1:9201"));
		assertError(api("POST", "/api/upstreams", upstream("taken", "round-robin", "http://127.0.0.1:9202")), 409,
				"name: an upstream named 'taken' exists already");
		assertError(api("POST", "/api/upstreams", upstream("bad name", "round-robin", "http://127.0.0.1:9202")), 400,
				"name: 'bad name' (expected: 1 to 64 letters");
		assertError(api("POST", "/api/upstreams", upstream("fastest", "fastest", "http://127.0.0.1:9202")), 400,
				"upstreams[fastest].balancer: 'fastest' (expected: one of naive, first-alive");
		assertError(api("POST", "/api/upstreams", upstream("ftp", "round-robin", "ftp://127.0.0.1:21")), 400,
				"upstreams[ftp].servers[0].url: ");
		assertError(api("POST", "/api/upstreams", "not json"), 400, "body: ");
		assertError(api("GET", "/api/upstreams/nowhere", null), 404, "no upstream 'nowhere'");
		assertError(api("PUT", "/api/upstreams/nowhere", upstream("nowhere", "naive", "http://127.0.0.1:9203")), 404,
				"no upstream 'nowhere'");
		assertError(api("POST", "/api/upstreams/taken/servers/drain", Map.of("url", "http://127.0.0.1:1")), 404,
				"upstream taken: no server 'http://127.0.0.1:1'");
		assertError(api("POST", "/api/upstreams/taken/servers/drain", Map.of()), 400, "url: missing");
		assertError(api("PUT", "/api/upstreams/taken", upstream("other", "naive", "http://127.0.0.1:9203")), 400,
				"name: 'other' (expected: 'taken'");
	}

	@Test
	void anUpstreamInUseCannotBeDeletedAndAMissingOneCannotBeNamed() throws Exception {
		api("POST", "/api/upstreams", upstream("used", "round-robin", "http://127.0.0.1:9301"));
		site("user-one", "user-one.test", List.of(Map.of("path", "/static/"), proxied("/api/", "used")));
		assertError(api("DELETE", "/api/upstreams/used", null), 409,
				"upstream used: in use by site user-one locations[1] (path /api/) (point those locations elsewhere "
						+ "first)");
		HttpResponse<String> site = api("POST", "/api/sites", Map.of("name", "dangling", "document-root",
				TEMP.toString(), "locations", List.of(proxied("/", "missing"))));
		assertError(site, 400, "site dangling: locations[0].proxy.upstream: no upstream 'missing'");
	}

	@Test
	void readTokensReadAndOnlyWriteTokensChange() throws Exception {
		api("POST", "/api/upstreams", upstream("scoped", "round-robin", "http://127.0.0.1:9401"));
		String read = token("upstreams-read", "read");
		String write = token("upstreams-write", "write");
		assertThat(api("GET", "/api/upstreams/scoped", null, "Bearer " + read).statusCode()).isEqualTo(200);
		assertThat(api("POST", "/api/upstreams/scoped/servers/drain", Map.of("url", "http://127.0.0.1:9401"),
				"Bearer " + read)
			.statusCode()).isEqualTo(403);
		assertThat(api("POST", "/api/upstreams/scoped/servers/drain", Map.of("url", "http://127.0.0.1:9401"),
				"Bearer " + write)
			.statusCode()).isEqualTo(200);
		assertThat(api("GET", "/api/upstreams", null, null).statusCode()).isEqualTo(401);
	}

	private String token(String name, String scope) throws Exception {
		HttpResponse<String> created = api("POST", "/api/tokens", Map.of("name", name, "scope", scope));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		return (String) object(created).get("token");
	}

	private static void assertError(HttpResponse<String> response, int status, String message) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("content-type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/json"));
		assertThat((String) object(response).get("error")).startsWith(message);
	}

}
