package dev.capuchin.app.sites;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.app.upstreams.UpstreamChanges;
import dev.capuchin.app.shared.console.ConsoleTestSupport;
import dev.capuchin.core.spi.Location;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The location form's handler choice: each handler's fields written as its block and
 * shown again on edit, the keys no field shows kept, and refusals beside the field.
 */
class ConsoleLocationHandlersTests extends ConsoleTestSupport {

	private static final RequestPostProcessor ADMIN = user("admin").roles("ADMIN");

	@Autowired
	ConfigService config;

	@Autowired
	UpstreamChanges upstreams;

	@Test
	void aProxyToAddressesIsWrittenAsTheContractsBlockAndShownAgain() throws Exception {
		site("proxied");
		save("proxied",
				form("proxied", "path", "/app/", "proxy")
					.param("proxyServers", "http://127.0.0.1:9001\nhttp://127.0.0.1:9002")
					.param("proxyBalancer", "round-robin")
					.param("proxyPreserveHost", "true"));
		assertThat(location("proxied", 0).settings())
			.isEqualTo(Map.of("proxy", Map.of("servers", List.of("http://127.0.0.1:9001", "http://127.0.0.1:9002"),
					"balancer", "round-robin", "preserve-host", true)));
		LocationForm shown = shown("proxied", 0);
		assertThat(shown.handler()).isEqualTo("proxy");
		assertThat(shown.proxyServers()).isEqualTo("http://127.0.0.1:9001\nhttp://127.0.0.1:9002");
		assertThat(shown.proxyBalancer()).isEqualTo("round-robin");
		assertThat(shown.proxyPreserveHost()).isTrue();
		assertThat(shown.proxyStripPrefix()).isFalse();
		assertThat(shown.settings()).isEmpty();
	}

	@Test
	void aProxyToAStoredUpstreamNamesIt() throws Exception {
		storeUpstream("api");
		site("upstreamed");
		save("upstreamed", form("upstreamed", "path", "/api/", "proxy").param("proxyUpstream", "api")
			.param("proxyStripPrefix", "true"));
		assertThat(location("upstreamed", 0).settings())
			.isEqualTo(Map.of("proxy", Map.of("upstream", "api", "strip-prefix", true)));
		this.mvc.perform(get("/console/sites/upstreamed/locations/0").with(ADMIN))
			.andExpect(content().string(containsString("<option value=\"api\" selected=\"selected\">api</option>")));
		assertThat(shown("upstreamed", 0).proxyUpstream()).isEqualTo("api");
	}

	@Test
	void aCgiDirectoryAndACgiExtensionWithItsInterpreterAreTheContractsBlocks() throws Exception {
		site("scripts");
		save("scripts", form("scripts", "path", "/cgi-bin/", "cgi"));
		save("scripts", form("scripts", "match", "\\.py$", "cgi").param("cgiInterpreters",
				".py /usr/bin/python3\n.pl  /usr/bin/perl"));
		assertThat(location("scripts", 0).settings()).isEqualTo(Map.of("cgi", Map.of()));
		assertThat(location("scripts", 1).settings()).isEqualTo(
				Map.of("cgi", Map.of("interpreters", Map.of(".py", "/usr/bin/python3", ".pl", "/usr/bin/perl"))));
		assertThat(shown("scripts", 0).handler()).isEqualTo("cgi");
		assertThat(shown("scripts", 1).cgiInterpreters()).isEqualTo(".py /usr/bin/python3\n.pl /usr/bin/perl");
	}

	@Test
	void aFastcgiServerAndItsFrontControllerAreTheContractsBlock() throws Exception {
		site("php");
		save("php", form("php", "match", "\\.php$", "fastcgi").param("fastcgiPass", "unix:/run/php/php-fpm.sock")
			.param("fastcgiIndex", "index.php"));
		assertThat(location("php", 0).settings())
			.isEqualTo(Map.of("fastcgi", Map.of("pass", "unix:/run/php/php-fpm.sock", "index", "index.php")));
		LocationForm shown = shown("php", 0);
		assertThat(shown.fastcgiPass()).isEqualTo("unix:/run/php/php-fpm.sock");
		assertThat(shown.fastcgiIndex()).isEqualTo("index.php");
		save("php", resubmit("php", 0, "fastcgiPass", "127.0.0.1:9000 127.0.0.1:9001"));
		assertThat(location("php", 0).setting("fastcgi"))
			.isEqualTo(Map.of("pass", List.of("127.0.0.1:9000", "127.0.0.1:9001"), "index", "index.php"));
	}

	@Test
	void aDirectoryListingIsTheDirlistingSwitch() throws Exception {
		site("listed");
		save("listed", form("listed", "path", "/files/", "dirlisting"));
		assertThat(location("listed", 0).settings()).isEqualTo(Map.of("dirlisting", true));
		assertThat(shown("listed", 0).handler()).isEqualTo("dirlisting");
		assertThat(shown("listed", 0).settings()).isEmpty();
	}

	@Test
	void keysTheFormDoesNotShowSurviveAnEditUnchanged() throws Exception {
		site("kept-keys");
		String yaml = "proxy:\n  servers: [http://127.0.0.1:9001]\n  balancer: least-connections\n  retries: 2\n"
				+ "  headers: {add: {X-Site: shop}}\nnote: {x: 1}\n";
		save("kept-keys", form("kept-keys", "path", "/app/", "").param("settings", yaml));
		Map<String, Object> before = location("kept-keys", 0).settings();
		LocationForm shown = shown("kept-keys", 0);
		assertThat(shown.handler()).isEqualTo("proxy");
		assertThat(shown.settings()).contains("retries: 2").contains("X-Site").doesNotContain("balancer");
		save("kept-keys", resubmit("kept-keys", 0));
		assertThat(location("kept-keys", 0).settings()).isEqualTo(before);
		save("kept-keys", resubmit("kept-keys", 0, "proxyBalancer", "source-hash"));
		assertThat(location("kept-keys", 0).setting("proxy"))
			.isEqualTo(Map.of("servers", List.of("http://127.0.0.1:9001"), "balancer", "source-hash", "retries", 2,
					"headers", Map.of("add", Map.of("X-Site", "shop"))));
		assertThat(location("kept-keys", 0).setting("note")).isEqualTo(Map.of("x", 1));
	}

	@Test
	void serversWrittenAsMappingsStayInTheYamlAndSurviveAnEdit() throws Exception {
		site("weighted");
		save("weighted", form("weighted", "path", "/app/", "").param("settings",
				"proxy:\n  servers:\n  - {url: http://127.0.0.1:9001, weight: 3}\n"));
		LocationForm shown = shown("weighted", 0);
		assertThat(shown.proxyServers()).isEmpty();
		assertThat(shown.settings()).contains("weight: 3");
		save("weighted", resubmit("weighted", 0, "proxyStripPrefix", "true"));
		assertThat(location("weighted", 0).setting("proxy")).isEqualTo(
				Map.of("strip-prefix", true, "servers", List.of(Map.of("url", "http://127.0.0.1:9001", "weight", 3))));
	}

	@Test
	void aKeyGivenInAFieldAndInTheYamlIsRefusedBesideTheField() throws Exception {
		site("twice");
		long version = this.config.current().version();
		this.mvc
			.perform(form("twice", "path", "/app/", "proxy").param("proxyServers", "http://127.0.0.1:9001")
				.param("settings", "proxy: {servers: [http://127.0.0.1:9002]}"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("id=\"proxyServers-error\"")))
			.andExpect(content().string(containsString("is given here and in the plugin blocks below")))
			.andExpect(content().string(containsString("http://127.0.0.1:9002")));
		assertThat(this.config.current().version()).isEqualTo(version);
	}

	@Test
	void anotherHandlersBlockInTheYamlIsRefusedRatherThanDropped() throws Exception {
		site("switched");
		this.mvc
			.perform(form("switched", "path", "/app/", "proxy").param("proxyServers", "http://127.0.0.1:9001")
				.param("settings", "cgi: {timeout: 30s}"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("id=\"settings-error\"")))
			.andExpect(content().string(containsString("&#39;cgi&#39; is the block of the CGI handler")));
	}

	@Test
	void aProxyWithNeitherUpstreamNorAddressesIsRefusedBesideTheAddresses() throws Exception {
		site("nowhere-to-go");
		this.mvc.perform(form("nowhere-to-go", "path", "/app/", "proxy"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("id=\"proxyServers-error\"")))
			.andExpect(content().string(containsString("Choose a stored upstream or enter one or more addresses")));
		this.mvc
			.perform(form("nowhere-to-go", "path", "/app/", "proxy").param("proxyUpstream", "api")
				.param("proxyServers", "http://127.0.0.1:9001"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("id=\"proxyServers-error\"")))
			.andExpect(content().string(containsString("not both")));
	}

	@Test
	void aMalformedInterpreterLineAndAMissingFastcgiServerAreRefusedBesideTheirFields() throws Exception {
		site("malformed");
		this.mvc.perform(form("malformed", "match", "\\.py$", "cgi").param("cgiInterpreters", "py python3"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("id=\"cgiInterpreters-error\"")))
			.andExpect(content().string(containsString("Line 1: &#39;py python3&#39;")));
		this.mvc.perform(form("malformed", "match", "\\.php$", "fastcgi"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("id=\"fastcgiPass-error\"")));
	}

	@Test
	void anUnknownHandlerIsRefusedBesideTheSelect() throws Exception {
		site("unknown-handler");
		this.mvc.perform(form("unknown-handler", "path", "/x/", "ftp"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("id=\"handler-error\"")));
	}

	@Test
	void everyHandlerIsOfferedAndOneWithoutItsPluginIsMarked() throws Exception {
		site("offered");
		this.mvc.perform(get("/console/sites/offered/locations/new").with(ADMIN))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("<option value=\"static\" selected=\"selected\">Static files")))
			.andExpect(content().string(containsString("value=\"proxy\">Proxy (not enabled here)")))
			.andExpect(content().string(containsString(
					"Proxy: the proxy plugin is not enabled: start with --spring.profiles.active=…,proxy.")))
			.andExpect(content().string(containsString(
					"Directory listing: the dirlisting plugin is not enabled: start with --spring.profiles.active=…,dirlisting.")))
			.andExpect(content().string(containsString("id=\"handler-proxy\"")))
			.andExpect(content().string(containsString("<option value=\"least-connections\">")))
			.andExpect(content().string(not(containsString("id=\"handler-note-static\""))));
	}

	@Test
	void theLocationsListShowsEachLocationsHandler() throws Exception {
		storeUpstream("api");
		site("listing");
		save("listing",
				form("listing", "path", "/app/", "proxy")
					.param("proxyServers", "http://127.0.0.1:9001 http://127.0.0.1:9002")
					.param("proxyBalancer", "first-alive"));
		save("listing", form("listing", "path", "/api/", "proxy").param("proxyUpstream", "api"));
		save("listing", form("listing", "match", "\\.php$", "fastcgi").param("fastcgiPass", "127.0.0.1:9000"));
		save("listing", form("listing", "path", "/", "static"));
		this.mvc.perform(get("/console/sites/listing").with(ADMIN))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString(
					"id=\"location-handler-0\">Proxy → http://127.0.0.1:9001, http://127.0.0.1:9002 (first-alive)<")))
			.andExpect(content().string(containsString("id=\"location-handler-1\">Proxy → upstream api<")))
			.andExpect(content().string(containsString("id=\"location-handler-2\">FastCGI → 127.0.0.1:9000<")))
			.andExpect(content().string(containsString("id=\"location-handler-3\">Static files<")));
	}

	private void storeUpstream(String name) {
		if (this.config.current().upstreams().stream().noneMatch((upstream) -> upstream.name().equals(name))) {
			this.upstreams.create(Map.of("name", name, "servers", List.of("http://127.0.0.1:9003")), "test");
		}
	}

	private void site(String name) throws Exception {
		Path root = documentRoot(name + "-root", name);
		this.mvc
			.perform(post("/console/sites").param("name", name)
				.param("enabled", "true")
				.param("_isDefault", "on")
				.param("_fdt", "on")
				.param("_followSymlinks", "on")
				.param("_hiddenFiles", "on")
				.param("_precompressed", "on")
				.param("serverNames", name + ".test")
				.param("documentRoot", root.toString())
				.param("version", Long.toString(this.config.current().version()))
				.with(ADMIN)
				.with(csrf()))
			.andExpect(redirectedUrl("/console/sites/" + name));
	}

	/**
	 * A new location's form with a handler, for the current version.
	 */
	private MockHttpServletRequestBuilder form(String site, String kind, String value, String handler) {
		return post("/console/sites/" + site + "/locations").param("kind", kind)
			.param("value", value)
			.param("handler", handler)
			.param("version", Long.toString(this.config.current().version()))
			.with(ADMIN)
			.with(csrf());
	}

	/**
	 * Post a location form and expect it saved.
	 */
	private void save(String site, MockHttpServletRequestBuilder request) throws Exception {
		this.mvc.perform(request).andExpect(redirectedUrl("/console/sites/" + site + "#locations"));
	}

	/**
	 * The form as the edit page shows it.
	 */
	private LocationForm shown(String site, int position) throws Exception {
		MvcResult result = this.mvc.perform(get("/console/sites/" + site + "/locations/" + position).with(ADMIN))
			.andExpect(status().isOk())
			.andReturn();
		return (LocationForm) result.getModelAndView().getModel().get("form");
	}

	/**
	 * A post of every field as the edit page shows it, as a browser sends the form back
	 * (a checkbox that is not ticked is not sent); later params replace earlier ones.
	 */
	private MockHttpServletRequestBuilder resubmit(String site, int position, String... changes) throws Exception {
		LocationForm form = shown(site, position);
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put("kind", form.kind());
		fields.put("value", form.value());
		fields.put("handler", form.handler());
		fields.put("proxyUpstream", form.proxyUpstream());
		fields.put("proxyServers", form.proxyServers());
		fields.put("proxyBalancer", form.proxyBalancer());
		fields.put("cgiInterpreters", form.cgiInterpreters());
		fields.put("fastcgiPass", form.fastcgiPass());
		fields.put("fastcgiIndex", form.fastcgiIndex());
		fields.put("settings", form.settings());
		fields.put("realm", form.realm());
		fields.put("version", Long.toString(form.version()));
		if (Boolean.TRUE.equals(form.proxyStripPrefix())) {
			fields.put("proxyStripPrefix", "true");
		}
		if (Boolean.TRUE.equals(form.proxyPreserveHost())) {
			fields.put("proxyPreserveHost", "true");
		}
		for (int i = 0; i < changes.length; i += 2) {
			fields.put(changes[i], changes[i + 1]);
		}
		MockHttpServletRequestBuilder request = post("/console/sites/" + site + "/locations/" + position).with(ADMIN)
			.with(csrf());
		fields.forEach(request::param);
		return request;
	}

	private Location location(String site, int position) {
		return this.config.current()
			.entries()
			.stream()
			.filter((entry) -> entry.name().equals(site))
			.findFirst()
			.orElseThrow()
			.site()
			.locations()
			.get(position);
	}

}
