package dev.capuchin.app.monkey;

import dev.capuchin.app.shared.console.ConsoleTestSupport;
import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.app.users.ConsoleUser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MvcResult;
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
 * The Monkey configuration form of the Import/Export page, on a store of its own with the
 * auth plugin on (Monkey's {@code [AUTH]} sections need it).
 */
@TestPropertySource(properties = { "capuchin.test.database=console-monkey", "capuchin.plugins.auth.enabled=true" })
class ConsoleMonkeyImportTests extends ConsoleTestSupport {

	private static final RequestPostProcessor ADMIN = user("admin").roles("ADMIN");

	static MonkeyFixture monkey;

	@Autowired
	ConfigService config;

	@BeforeAll
	static void installMonkey() {
		monkey = MonkeyFixture.install(TEMP.resolve("monkey-console"), "2001");
	}

	@Test
	void thePageOffersTheMonkeyFormWithCsrf() throws Exception {
		this.mvc.perform(get("/console/transfer").with(ADMIN))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("id=\"monkey-form\"")))
			.andExpect(content().string(containsString("action=\"/console/import/monkey\"")))
			.andExpect(content().string(containsString("name=\"_csrf\"")));
	}

	@Test
	void aDirectoryIsShownAsDifferenceReportAndServerSettingsThenAppliedOnConfirmation() throws Exception {
		ConfigService.Snapshot before = this.config.current();
		MockHttpSession session = new MockHttpSession();
		MvcResult checked = this.mvc
			.perform(post("/console/import/monkey").param("directory", monkey.directory().toString())
				.session(session)
				.with(ADMIN)
				.with(csrf()))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Confirm the import")))
			.andExpect(content().string(containsString("site staff")))
			.andExpect(content().string(containsString("console-diff-added")))
			.andExpect(content().string(containsString("id=\"monkey-report\"")))
			.andExpect(content()
				.string(containsString("monkey.conf:78 [SERVER] User: not mapped (run Capuchin as the user you want)")))
			.andExpect(content().string(containsString("site default: replaced by sites/default")))
			.andExpect(content().string(containsString("id=\"monkey-server-config\"")))
			.andExpect(content().string(containsString("- address: 0.0.0.0:2001")))
			.andReturn();
		assertThat(this.config.current().version()).isEqualTo(before.version());
		assertThat(dataPlane("shop.test", "/").body()).isEqualTo("<h1>default</h1>");
		String html = checked.getResponse().getContentAsString();
		String id = html.substring(html.indexOf("name=\"id\" value=\"") + 17);
		id = id.substring(0, id.indexOf('"'));
		this.mvc.perform(post("/console/import/apply").param("id", id).session(session).with(ADMIN).with(csrf()))
			.andExpect(redirectedUrl("/console/sites"));
		assertThat(this.config.current().version()).isEqualTo(before.version() + 1);
		assertThat(this.config.current().entries()).extracting((entry) -> entry.name())
			.containsExactly("default", "shop", "staff");
		assertThat(dataPlane("shop.test", "/").body()).isEqualTo("shop");
		assertThat(dataPlane("staff.test", "/private/").statusCode()).isEqualTo(401);
	}

	@Test
	void aRefusalIsShownBesideTheFieldWhichKeepsTheDirectory() throws Exception {
		MonkeyFixture broken = MonkeyFixture.install(TEMP.resolve("monkey-broken"), "2001");
		broken.replace("sites/shop", "    DocumentRoot ", "    DocumentRoot /nowhere");
		long version = this.config.current().version();
		this.mvc
			.perform(post("/console/import/monkey").param("directory", broken.directory().toString())
				.with(ADMIN)
				.with(csrf()))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("is-invalid")))
			.andExpect(content().string(containsString("id=\"directory-error\"")))
			.andExpect(content().string(containsString(
					"sites/shop:" + broken.lineOf("sites/shop", "DocumentRoot") + ": [HOST] DocumentRoot: /nowhere")))
			.andExpect(content().string(containsString("value=\"" + broken.directory() + "\"")))
			.andExpect(content().string(not(containsString("Confirm the import"))));
		this.mvc.perform(post("/console/import/monkey").param("directory", "").with(ADMIN).with(csrf()))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("directory: missing")));
		assertThat(this.config.current().version()).isEqualTo(version);
	}

	@Test
	void onlyAnAdminWithTheCsrfTokenMayImport() throws Exception {
		account("monkey-viewer", ConsoleUser.Role.VIEWER, "monkey-viewer-password");
		this.mvc.perform(post("/console/import/monkey").param("directory", monkey.directory().toString()).with(ADMIN))
			.andExpect(status().isForbidden());
		this.mvc
			.perform(post("/console/import/monkey").param("directory", monkey.directory().toString())
				.with(user("monkey-viewer").roles("VIEWER"))
				.with(csrf()))
			.andExpect(status().isForbidden());
	}

}
