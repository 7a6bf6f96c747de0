package dev.capuchin.app.sites;

import dev.capuchin.app.shared.console.ConsoleTestSupport;
import dev.capuchin.app.shared.console.Flash;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.core.spi.Location;
import dev.capuchin.core.spi.Site;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.model;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

class ConsoleSitesTests extends ConsoleTestSupport {

	private static final RequestPostProcessor ADMIN = user("admin").roles("ADMIN");

	@Autowired
	ConfigService config;

	@Test
	void aCreatedSiteIsServedByTheDataPlane() throws Exception {
		Path root = documentRoot("created-root", "created");
		createSite("created", "created.test", root).andExpect(redirectedUrl("/console/sites/created"))
			.andExpect(flash().attribute("flash", new Flash("success", "Site created created (configuration version "
					+ this.config.current().version() + "). Add locations below if it needs any.")));
		assertThat(dataPlane("created.test", "/").body()).isEqualTo("created");
		this.mvc.perform(get("/console/sites").with(ADMIN))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("created.test")));
	}

	@Test
	void aSiteWhoseRootVanishedIsShownUnavailableAnswers503AndDoesNotStopTheOthers() throws Exception {
		Path root = documentRoot("vanishing-root", "vanishing");
		createSite("vanishing", "vanishing.test", root);
		assertThat(dataPlane("vanishing.test", "/").body()).isEqualTo("vanishing");
		Files.delete(root.resolve("index.html"));
		Files.delete(root);
		// the next table is built from the store, as at a restart or on another node's
		// change: the site stays (its names still reach it) and the others are served
		createSite("bystander", "bystander.test", documentRoot("bystander-root", "bystander"))
			.andExpect(redirectedUrl("/console/sites/bystander"));
		assertThat(dataPlane("vanishing.test", "/").statusCode()).isEqualTo(503);
		assertThat(dataPlane("bystander.test", "/").body()).isEqualTo("bystander");
		assertThat(this.config.bootstrap(TEMP.resolve("sites")).unavailable()).containsOnlyKeys("vanishing");
		this.mvc.perform(get("/console/sites").with(ADMIN))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString(">unavailable<")))
			.andExpect(content().string(containsString("document-root: " + root)));
		this.mvc.perform(get("/api/status").with(ADMIN))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("\"unavailable\":\"document-root: " + root)));
		this.mvc.perform(get("/actuator/capuchin").with(ADMIN))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("\"unavailable\":\"document-root: " + root)));
		this.mvc
			.perform(post("/console/sites/vanishing/delete")
				.param("version", Long.toString(this.config.current().version()))
				.with(ADMIN)
				.with(csrf()))
			.andExpect(redirectedUrl("/console/sites"));
	}

	@Test
	void aMissingDocumentRootIsShownBesideItsFieldAndTheFormKeepsTheValues() throws Exception {
		String missing = TEMP.resolve("does-not-exist").toString();
		long version = this.config.current().version();
		this.mvc
			.perform(siteForm(post("/console/sites"), "kept", "kept.test alias.kept.test", missing).param("listen", "")
				.param("errorPages", "404 /missing.html"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("id=\"documentRoot-error\"")))
			.andExpect(content().string(containsString("expected: an existing directory")))
			.andExpect(content().string(containsString("value=\"kept.test alias.kept.test\"")))
			.andExpect(content().string(containsString("404 /missing.html")))
			.andExpect(content().string(containsString("value=\"" + missing + "\"")));
		assertThat(this.config.current().version()).isEqualTo(version);
	}

	@Test
	void aRefusalOfTheWholeConfigurationIsShownBesideTheFieldItNames() throws Exception {
		Path root = documentRoot("second-default", "second");
		this.mvc
			.perform(siteForm(post("/console/sites"), "second-default", "second.test", root.toString())
				.param("isDefault", "true"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("id=\"isDefault-error\"")))
			.andExpect(content().string(containsString("site default is the default already")));
	}

	@Test
	void anUnknownFieldIsShownAtTheTopOfTheForm() throws Exception {
		Path root = documentRoot("taken-names", "taken");
		this.mvc.perform(siteForm(post("/console/sites"), "default", "localhost", root.toString()))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("id=\"name-error\"")))
			.andExpect(content().string(containsString("exists already")));
		this.mvc.perform(siteForm(post("/console/sites"), "names-taken", "localhost", root.toString()))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("id=\"serverNames-error\"")))
			.andExpect(content().string(containsString("is already served by site default")));
	}

	@Test
	void badYamlInPluginBlocksIsShownBesideTheTextarea() throws Exception {
		Path root = documentRoot("yaml-root", "yaml");
		this.mvc
			.perform(siteForm(post("/console/sites"), "yaml-site", "yaml.test", root.toString()).param("settings",
					"mandril: [unclosed"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("id=\"settings-error\"")))
			.andExpect(content().string(containsString("Not valid YAML")));
	}

	@Test
	void savingTheFormKeepsTheSitesHstsHttpsRedirectAndHeaders() throws Exception {
		Path root = documentRoot("secure-root", "secure");
		createSite("secure", "secure.test", root);
		this.mvc
			.perform(put("/api/sites/secure").contentType(MediaType.APPLICATION_JSON)
				.content("{\"server-names\": [\"secure.test\"], \"document-root\": \"" + root
						+ "\", \"hsts\": {\"max-age\": 600}, \"redirect-https\": true, "
						+ "\"headers\": {\"remove\": [\"Server\"]}}")
				.with(ADMIN)
				.with(csrf()))
			.andExpect(status().isOk());
		this.mvc
			.perform(siteForm(post("/console/sites/secure"), "secure", "secure.test www.secure.test", root.toString()));
		Site saved = site("secure").site();
		assertThat(saved.serverNames()).containsExactly("secure.test", "www.secure.test");
		assertThat(saved.hsts().maxAge()).isEqualTo(600);
		assertThat(saved.redirectHttps()).isTrue();
		assertThat(saved.headers().remove()).containsExactly("server");
	}

	@Test
	void anEditOpenedOnAnOlderVersionIsNotSaved() throws Exception {
		Path root = documentRoot("stale-root", "stale");
		createSite("stale", "stale.test", root);
		long version = this.config.current().version();
		this.mvc
			.perform(siteForm(post("/console/sites/stale"), "stale", "stale.test other.stale.test", root.toString(),
					version - 1))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("The configuration changed meanwhile")))
			.andExpect(content().string(containsString("value=\"stale.test other.stale.test\"")));
		assertThat(site("stale").site().serverNames()).containsExactly("stale.test");
	}

	@Test
	void locationsKeepTheirPluginBlocksAndMoveInOrder() throws Exception {
		Path root = documentRoot("locations-root", "locations");
		createSite("located", "located.test", root);
		addLocation("located", "path", "/one/", "note:\n  x: 1\n");
		addLocation("located", "match", "\\.php$", "");
		assertThat(site("located").site().locations()).extracting(Location::toString)
			.containsExactly("path /one/", "match \\.php$");
		assertThat(site("located").site().locations().get(0).settings()).isEqualTo(Map.of("note", Map.of("x", 1)));
		this.mvc.perform(get("/console/sites/located/locations/0").with(ADMIN))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("note:\n  x: 1\n")));
		this.mvc
			.perform(post("/console/sites/located/locations/1/move").param("direction", "up")
				.param("version", Long.toString(this.config.current().version()))
				.with(ADMIN)
				.with(csrf()))
			.andExpect(redirectedUrl("/console/sites/located#locations"));
		assertThat(site("located").site().locations()).extracting(Location::toString)
			.containsExactly("match \\.php$", "path /one/");
		this.mvc
			.perform(post("/console/sites/located/locations/0/delete")
				.param("version", Long.toString(this.config.current().version()))
				.with(ADMIN)
				.with(csrf()))
			.andExpect(redirectedUrl("/console/sites/located#locations"));
		assertThat(site("located").site().locations()).extracting(Location::toString).containsExactly("path /one/");
	}

	@Test
	void anInvalidLocationIsShownBesideItsFields() throws Exception {
		Path root = documentRoot("bad-location-root", "bad");
		createSite("bad-location", "bad-location.test", root);
		long version = this.config.current().version();
		this.mvc
			.perform(post("/console/sites/bad-location/locations").param("kind", "match")
				.param("value", "([unclosed")
				.param("settings", "note: {x: 1}")
				.param("version", Long.toString(version))
				.with(ADMIN)
				.with(csrf()))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("id=\"value-error\"")))
			.andExpect(content().string(containsString("is not a valid regular expression")))
			.andExpect(content().string(containsString("note: {x: 1}")));
		this.mvc
			.perform(post("/console/sites/bad-location/locations").param("kind", "path")
				.param("value", "/x/")
				.param("settings", "path: /y/")
				.param("version", Long.toString(version))
				.with(ADMIN)
				.with(csrf()))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("id=\"settings-error\"")));
		assertThat(this.config.current().version()).isEqualTo(version);
	}

	@Test
	void disablingASiteStopsServingItAndKeepsItStored() throws Exception {
		Path root = documentRoot("switch-root", "switch");
		createSite("switch", "switch.test", root);
		this.mvc.perform(post("/console/sites/switch/enabled").param("enabled", "false").with(ADMIN).with(csrf()))
			.andExpect(redirectedUrl("/console/sites"));
		assertThat(site("switch").enabled()).isFalse();
		assertThat(dataPlane("switch.test", "/").body()).isEqualTo("<h1>default</h1>");
	}

	@Test
	void deletingNeedsTheConfirmationPage() throws Exception {
		Path root = documentRoot("doomed-root", "doomed");
		createSite("doomed", "doomed.test", root);
		this.mvc.perform(get("/console/sites/doomed/delete").with(ADMIN))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Delete site <span>doomed</span>?")));
		this.mvc
			.perform(post("/console/sites/doomed/delete")
				.param("version", Long.toString(this.config.current().version()))
				.with(ADMIN)
				.with(csrf()))
			.andExpect(redirectedUrl("/console/sites"));
		assertThat(this.config.current().entries()).noneMatch((entry) -> entry.name().equals("doomed"));
	}

	@Test
	void anUnknownSiteIsA404Page() throws Exception {
		this.mvc.perform(get("/console/sites/nowhere").with(ADMIN))
			.andExpect(status().isNotFound())
			.andExpect(content().string(containsString("Site &#39;nowhere&#39;")))
			.andExpect(model().attributeExists("what"));
	}

	private ResultActions createSite(String name, String serverNames, Path root) throws Exception {
		return this.mvc.perform(siteForm(post("/console/sites"), name, serverNames, root.toString()));
	}

	private void addLocation(String site, String kind, String value, String settings) throws Exception {
		this.mvc
			.perform(post("/console/sites/" + site + "/locations").param("kind", kind)
				.param("value", value)
				.param("settings", settings)
				.param("version", Long.toString(this.config.current().version()))
				.with(ADMIN)
				.with(csrf()))
			.andExpect(redirectedUrl("/console/sites/" + site + "#locations"));
	}

	private MockHttpServletRequestBuilder siteForm(MockHttpServletRequestBuilder request, String name,
			String serverNames, String root) {
		return siteForm(request, name, serverNames, root, this.config.current().version());
	}

	private MockHttpServletRequestBuilder siteForm(MockHttpServletRequestBuilder request, String name,
			String serverNames, String root, long version) {
		for (String checkbox : new String[] { "enabled", "isDefault", "fdt", "followSymlinks", "hiddenFiles",
				"precompressed" }) {
			request.param("_" + checkbox, "on");
		}
		return request.param("name", name)
			.param("enabled", "true")
			.param("serverNames", serverNames)
			.param("documentRoot", root)
			.param("indexFiles", "index.html")
			.param("fdt", "true")
			.param("precompressed", "true")
			.param("version", Long.toString(version))
			.with(ADMIN)
			.with(csrf());
	}

	private SiteEntry site(String name) {
		return this.config.current()
			.entries()
			.stream()
			.filter((entry) -> entry.name().equals(name))
			.findFirst()
			.orElseThrow();
	}

}
