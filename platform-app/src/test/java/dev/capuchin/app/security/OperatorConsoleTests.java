package dev.capuchin.app.security;

import java.nio.file.Path;

import dev.capuchin.app.shared.console.ConsoleTestSupport;
import dev.capuchin.app.users.ConsoleUser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.test.web.servlet.request.RequestPostProcessor;

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
 * The operator role on the console: the site and location forms are offered and saved;
 * accounts, tokens, OAuth clients, signing keys, sign-in locks and imports are neither
 * linked nor accepted.
 */
class OperatorConsoleTests extends ConsoleTestSupport {

	private static final RequestPostProcessor OPERATOR = user("console-operator").roles("OPERATOR");

	@BeforeEach
	void operator() {
		account("console-operator", ConsoleUser.Role.OPERATOR, "operator-password-1");
	}

	@Test
	void anOperatorSeesAndSavesTheSiteForm() throws Exception {
		this.mvc.perform(get("/console/sites/default").with(OPERATOR))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("id=\"save-site\"")))
			.andExpect(content().string(containsString("id=\"add-location\"")));
		Path root = documentRoot("operator-root", "operator");
		this.mvc
			.perform(post("/console/sites").param("name", "operator-site")
				.param("_enabled", "on")
				.param("_isDefault", "on")
				.param("_fdt", "on")
				.param("_followSymlinks", "on")
				.param("_hiddenFiles", "on")
				.param("_precompressed", "on")
				.param("enabled", "true")
				.param("serverNames", "operator.test")
				.param("documentRoot", root.toString())
				.param("indexFiles", "index.html")
				.param("fdt", "true")
				.param("version", "0")
				.with(OPERATOR)
				.with(csrf()))
			.andExpect(redirectedUrl("/console/sites/operator-site"));
	}

	@Test
	void anOperatorIsNotLinkedToAccountsOrTokens() throws Exception {
		this.mvc.perform(get("/console/sites").with(OPERATOR))
			.andExpect(status().isOk())
			.andExpect(content().string(not(containsString("href=\"/console/users\""))))
			.andExpect(content().string(not(containsString("href=\"/console/tokens\""))));
	}

	@Test
	void anOperatorIsRefusedAccountsTokensIdentityLocksAndImports() throws Exception {
		this.mvc.perform(get("/console/users").with(OPERATOR)).andExpect(status().isForbidden());
		this.mvc.perform(get("/console/tokens").with(OPERATOR)).andExpect(status().isForbidden());
		this.mvc.perform(get("/console/sign-in-locks").with(OPERATOR)).andExpect(status().isForbidden());
		for (String path : new String[] { "/console/users", "/console/tokens", "/console/oauth-clients",
				"/console/signing-keys/rotate", "/console/sign-in-locks/clear", "/console/import",
				"/console/import/apply" }) {
			this.mvc.perform(post(path).with(OPERATOR).with(csrf())).andExpect(status().isForbidden());
		}
	}

}
