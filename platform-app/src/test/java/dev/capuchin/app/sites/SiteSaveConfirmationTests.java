package dev.capuchin.app.sites;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.capuchin.app.shared.console.Flash;
import dev.capuchin.app.shared.console.PluginsConsoleTestSupport;
import dev.capuchin.plugin.mandril.MandrilBlocks;
import org.junit.jupiter.api.Test;

import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

class SiteSaveConfirmationTests extends PluginsConsoleTestSupport {

	private static final RequestPostProcessor ADMIN = user("admin").roles("ADMIN");

	@Test
	void aSaveOfTheSiteFormNeverRemovesAnAccessRule() throws Exception {
		site("confirm-ruled", Map.of("mandril", Map.of("uri", Map.of("deny", List.of("/secret/")))));
		this.mvc.perform(siteForm("confirm-ruled", "")).andExpect(redirectedUrl("/console/sites/confirm-ruled"));
		assertThat(MandrilBlocks.rules(stored("confirm-ruled").site().settings())).extracting(MandrilBlocks.Rule::value)
			.containsExactly("/secret/");
	}

	@Test
	void aSaveOfTheLocationFormNeverRemovesAnAccessRule() throws Exception {
		site("confirm-ruled-location", Map.of("locations",
				List.of(Map.of("path", "/admin/", "mandril", Map.of("uri", Map.of("deny", List.of("/secret/")))))));
		this.mvc
			.perform(post("/console/sites/confirm-ruled-location/locations/0").param("kind", "path")
				.param("value", "/admin/")
				.param("handler", "static")
				.param("settings", "")
				.param("version", Long.toString(this.config.current().version()))
				.with(ADMIN)
				.with(csrf()))
			.andExpect(redirectedUrl("/console/sites/confirm-ruled-location#locations"));
		assertThat(MandrilBlocks.rules(stored("confirm-ruled-location").site().locations().get(0).settings()))
			.extracting(MandrilBlocks.Rule::value)
			.containsExactly("/secret/");
	}

	@Test
	void aYamlBoxThatNamesAnAccessRuleIsRefusedNamingTheField() throws Exception {
		site("confirm-refusing", Map.of());
		long version = this.config.current().version();
		this.mvc.perform(siteForm("confirm-refusing", "mandril:\n  ip: {deny: [10.0.0.0/8]}\n"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("id=\"settings-error\"")))
			.andExpect(content().string(containsString("access rule ip-deny 10.0.0.0/8: access rules are edited on")));
		assertThat(this.config.current().version()).isEqualTo(version);
	}

	@Test
	void aConfirmationComputedOnAnOlderVersionIsRefused() throws Exception {
		site("confirm-moving", Map.of("note", Map.of("x", 1)));
		MvcResult shown = this.mvc.perform(siteForm("confirm-moving", ""))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("plugin block note on confirm-moving")))
			.andReturn();
		String proposed = (String) ((SiteChanges.Confirmation) shown.getModelAndView().getModel().get("confirmation"))
			.proposed();
		long version = this.config.current().version();
		site("confirm-elsewhere", Map.of());
		this.mvc
			.perform(post("/console/sites/confirm-moving/confirm").param("proposed", proposed)
				.param("version", Long.toString(version))
				.with(ADMIN)
				.with(csrf()))
			.andExpect(redirectedUrl("/console/sites/confirm-moving"))
			.andExpect(flash().attribute(Flash.ATTRIBUTE,
					new Flash("danger", "The configuration changed meanwhile (version " + version + " is now "
							+ (version + 1) + "). Nothing was changed; open the form again and save.")));
		assertThat(stored("confirm-moving").site().settings()).containsKey("note");
	}

	private MockHttpServletRequestBuilder siteForm(String name, String settings) {
		MockHttpServletRequestBuilder request = post("/console/sites/" + name);
		for (String checkbox : new String[] { "enabled", "isDefault", "fdt", "followSymlinks", "hiddenFiles",
				"precompressed" }) {
			request.param("_" + checkbox, "on");
		}
		Path root = TEMP.resolve(name + "-root");
		return request.param("name", name)
			.param("enabled", "true")
			.param("serverNames", name + ".test")
			.param("documentRoot", root.toString())
			.param("fdt", "true")
			.param("settings", settings)
			.param("version", Long.toString(this.config.current().version()))
			.with(ADMIN)
			.with(csrf());
	}

	private SiteEntry stored(String name) {
		return this.config.current()
			.entries()
			.stream()
			.filter((entry) -> entry.name().equals(name))
			.findFirst()
			.orElseThrow();
	}

}
