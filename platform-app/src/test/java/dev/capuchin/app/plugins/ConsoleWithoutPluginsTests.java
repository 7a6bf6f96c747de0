package dev.capuchin.app.plugins;

import dev.capuchin.app.shared.console.ConsoleTestSupport;
import org.junit.jupiter.api.Test;

import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

class ConsoleWithoutPluginsTests extends ConsoleTestSupport {

	private static final RequestPostProcessor ADMIN = user("admin").roles("ADMIN");

	@Test
	void theRulesPageSaysRulesHaveNoEffectWithoutTheMandrilPlugin() throws Exception {
		this.mvc.perform(get("/console/rules").with(ADMIN))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("id=\"not-enforced\"")))
			.andExpect(content().string(containsString("id=\"no-rules\"")))
			.andExpect(content().string(containsString("id=\"rule-form\"")));
	}

	@Test
	void theLogsPageSaysTheLoggerIsOff() throws Exception {
		this.mvc.perform(get("/console/logs").with(ADMIN))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("The logger plugin is off")));
	}

}
