package dev.capuchin.app.users;

import dev.capuchin.app.shared.console.ConsoleTestSupport;
import java.net.http.HttpClient;

import dev.capuchin.app.audit.AuditLog;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
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

class ConsoleUsersTests extends ConsoleTestSupport {

	private static final RequestPostProcessor ADMIN = user("admin").roles("ADMIN");

	@Autowired
	AuditLog audit;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void anAccountIsCreatedWithABcryptHashThatThePageNeverShows() throws Exception {
		createAccount("carol", "viewer", "carol-password-1").andExpect(redirectedUrl("/console/users"));
		String hash = this.jdbc.queryForObject("select password_hash from console_user where username = 'carol'",
				String.class);
		assertThat(hash).startsWith("{bcrypt}$2");
		this.mvc.perform(get("/console/users").with(ADMIN))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("carol")))
			.andExpect(content().string(not(containsString(hash.substring(8)))));
		this.mvc.perform(get("/console/users/carol").with(ADMIN))
			.andExpect(content().string(not(containsString("$2a$"))));
		assertThat(this.audit.recent(20)).anySatisfy((entry) -> {
			assertThat(entry.target()).isEqualTo("user carol");
			assertThat(entry.after()).contains("role: viewer").doesNotContain("$2");
		});
		HttpClient client = browser();
		assertThat(signIn(client, "carol", "carol-password-1").headers().firstValue("location"))
			.hasValueSatisfying((location) -> assertThat(location).endsWith("/console/"));
	}

	@Test
	void theBuiltInNameAndTakenNamesAreRefused() throws Exception {
		createAccount("admin", "admin", "another-password-1").andExpect(status().isOk())
			.andExpect(content().string(containsString("built-in account")));
		createAccount("dave", "viewer", "dave-password-1").andExpect(redirectedUrl("/console/users"));
		createAccount("Dave", "admin", "dave-password-2").andExpect(status().isOk())
			.andExpect(content().string(containsString("exists already")));
	}

	@Test
	void aShortPasswordIsRefusedBesideItsField() throws Exception {
		createAccount("erin", "viewer", "short").andExpect(status().isOk())
			.andExpect(content().string(containsString("id=\"password-error\"")))
			.andExpect(content().string(containsString("value=\"erin\"")));
		assertThat(this.users.find("erin")).isEmpty();
	}

	@Test
	void aRoleChangeAppliesToAnOpenSessionAtOnce() throws Exception {
		account("frank", ConsoleUser.Role.ADMIN, "frank-password-1");
		HttpClient frank = browser();
		signIn(frank, "frank", "frank-password-1");
		assertThat(httpGet(frank, "/console/users").statusCode()).isEqualTo(200);
		this.mvc.perform(
				post("/console/users/frank").param("role", "viewer").param("enabled", "true").with(ADMIN).with(csrf()))
			.andExpect(redirectedUrl("/console/users"));
		assertThat(httpGet(frank, "/console/users").statusCode()).isEqualTo(403);
		assertThat(httpGet(frank, "/console/sites").statusCode()).isEqualTo(200);
	}

	@Test
	void aDisabledOrDeletedAccountLosesItsSession() throws Exception {
		account("gina", ConsoleUser.Role.VIEWER, "gina-password-1");
		HttpClient gina = browser();
		signIn(gina, "gina", "gina-password-1");
		assertThat(httpGet(gina, "/console/sites").statusCode()).isEqualTo(200);
		this.mvc.perform(post("/console/users/gina").param("role", "viewer").with(ADMIN).with(csrf()))
			.andExpect(redirectedUrl("/console/users"));
		assertThat(this.users.find("gina").orElseThrow().enabled()).isFalse();
		assertThat(httpGet(gina, "/console/sites").statusCode()).isEqualTo(302);
		assertThat(signIn(browser(), "gina", "gina-password-1").headers().firstValue("location"))
			.hasValueSatisfying((location) -> assertThat(location).endsWith("/console/login?error"));
		account("hugo", ConsoleUser.Role.VIEWER, "hugo-password-1");
		HttpClient hugo = browser();
		signIn(hugo, "hugo", "hugo-password-1");
		this.mvc.perform(post("/console/users/hugo/delete").with(ADMIN).with(csrf()))
			.andExpect(redirectedUrl("/console/users"));
		assertThat(httpGet(hugo, "/console/sites").statusCode()).isEqualTo(302);
	}

	@Test
	void aResetPasswordReplacesTheOldOne() throws Exception {
		account("iris", ConsoleUser.Role.VIEWER, "iris-password-1");
		this.mvc
			.perform(post("/console/users/iris/password").param("password", "iris-password-2").with(ADMIN).with(csrf()))
			.andExpect(redirectedUrl("/console/users"));
		assertThat(signIn(browser(), "iris", "iris-password-1").headers().firstValue("location"))
			.hasValueSatisfying((location) -> assertThat(location).endsWith("/console/login?error"));
		assertThat(signIn(browser(), "iris", "iris-password-2").headers().firstValue("location"))
			.hasValueSatisfying((location) -> assertThat(location).endsWith("/console/"));
		assertThat(this.audit.recent(20)).anySatisfy((entry) -> {
			assertThat(entry.action()).isEqualTo("changed");
			assertThat(entry.target()).isEqualTo("password of user iris");
			assertThat(entry.before()).isNull();
			assertThat(entry.after()).isNull();
		});
	}

	private org.springframework.test.web.servlet.ResultActions createAccount(String username, String role,
			String password) throws Exception {
		return this.mvc.perform(post("/console/users").param("username", username)
			.param("role", role)
			.param("password", password)
			.with(ADMIN)
			.with(csrf()));
	}

}
