package dev.capuchin.app.transfer;

import dev.capuchin.app.shared.console.ConsoleTestSupport;
import java.nio.file.Path;

import dev.capuchin.app.shared.config.ConfigService;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

class ConsoleTransferTests extends ConsoleTestSupport {

	private static final RequestPostProcessor ADMIN = user("admin").roles("ADMIN");

	@Autowired
	ConfigService config;

	@Test
	void theExportIsTheWholeConfigurationAsAnAttachment() throws Exception {
		this.mvc.perform(get("/console/export").with(ADMIN))
			.andExpect(status().isOk())
			.andExpect(header().string("Content-Disposition", containsString("attachment")))
			.andExpect(content().string(containsString("name: default")));
	}

	@Test
	void anUploadedDocumentIsShownAsADifferenceAndAppliedOnlyAfterConfirmation() throws Exception {
		Path root = documentRoot("imported-root", "imported");
		ConfigService.Snapshot before = this.config.current();
		String document = ConfigDocument.write(before.entries(), before.version())
				+ "- name: imported\n  server-names: [imported.test]\n  document-root: " + root + "\n";
		MockHttpSession session = new MockHttpSession();
		MvcResult checked = this.mvc
			.perform(multipart("/console/import")
				.file(new MockMultipartFile("file", "config.yaml", "application/yaml", document.getBytes()))
				.session(session)
				.with(ADMIN)
				.with(csrf()))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Confirm the import")))
			.andExpect(content().string(containsString("site imported")))
			.andExpect(content().string(containsString("console-diff-added")))
			.andReturn();
		assertThat(this.config.current().version()).isEqualTo(before.version());
		assertThat(dataPlane("imported.test", "/").body()).isEqualTo("<h1>default</h1>");
		String id = between(checked.getResponse().getContentAsString(), "name=\"id\" value=\"", "\"");
		this.mvc.perform(post("/console/import/apply").param("id", id).session(session).with(ADMIN).with(csrf()))
			.andExpect(redirectedUrl("/console/sites"));
		assertThat(this.config.current().version()).isEqualTo(before.version() + 1);
		assertThat(dataPlane("imported.test", "/").body()).isEqualTo("imported");
		this.mvc.perform(post("/console/import/apply").param("id", id).session(session).with(ADMIN).with(csrf()))
			.andExpect(redirectedUrl("/console/transfer"));
	}

	@Test
	void aRefusedDocumentIsNamedAndKeptInTheTextarea() throws Exception {
		String document = "sites:\n  - name: broken\n    document-root: " + TEMP.resolve("nowhere") + "\n";
		long version = this.config.current().version();
		this.mvc.perform(multipart("/console/import").param("document", document).with(ADMIN).with(csrf()))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("id=\"import-error\"")))
			.andExpect(content().string(containsString("site broken: document-root:")))
			.andExpect(content().string(containsString("name: broken")));
		assertThat(this.config.current().version()).isEqualTo(version);
	}

	@Test
	void anImportCheckedBeforeAnotherChangeIsNotApplied() throws Exception {
		ConfigService.Snapshot before = this.config.current();
		Path root = documentRoot("late-root", "late");
		String document = ConfigDocument.write(before.entries(), before.version())
				+ "- name: late\n  server-names: [late.test]\n  document-root: " + root + "\n";
		MockHttpSession session = new MockHttpSession();
		MvcResult checked = this.mvc
			.perform(multipart("/console/import").param("document", document).session(session).with(ADMIN).with(csrf()))
			.andExpect(status().isOk())
			.andReturn();
		String id = between(checked.getResponse().getContentAsString(), "name=\"id\" value=\"", "\"");
		Path other = documentRoot("meanwhile-root", "meanwhile");
		this.mvc
			.perform(post("/console/sites").param("name", "meanwhile")
				.param("_enabled", "on")
				.param("enabled", "true")
				.param("serverNames", "meanwhile.test")
				.param("documentRoot", other.toString())
				.param("_isDefault", "on")
				.param("_fdt", "on")
				.param("_followSymlinks", "on")
				.param("_hiddenFiles", "on")
				.param("_precompressed", "on")
				.param("version", Long.toString(this.config.current().version()))
				.with(ADMIN)
				.with(csrf()))
			.andExpect(redirectedUrl("/console/sites/meanwhile"));
		this.mvc.perform(post("/console/import/apply").param("id", id).session(session).with(ADMIN).with(csrf()))
			.andExpect(redirectedUrl("/console/transfer"));
		assertThat(this.config.current().entries()).noneMatch((entry) -> entry.name().equals("late"));
	}

	private static String between(String text, String start, String end) {
		int from = text.indexOf(start) + start.length();
		return text.substring(from, text.indexOf(end, from));
	}

}
