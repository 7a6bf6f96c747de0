package dev.capuchin.app.realms;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.capuchin.app.transfer.ConfigDocument;
import dev.capuchin.app.shared.config.ConfigurationConflictException;
import dev.capuchin.app.audit.AuditLog;
import dev.capuchin.app.shared.config.ConfigVersionStore;
import dev.capuchin.app.users.ConsoleUser;
import dev.capuchin.core.spi.Location;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleRealmsTests extends RealmTestSupport {

	private static final RequestPostProcessor ADMIN = user("admin").roles("ADMIN");

	private static final RequestPostProcessor VIEWER = user("realm-viewer").roles("VIEWER");

	@Autowired
	RealmChanges realms;

	@Autowired
	AuditLog audit;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	RealmStore realmStore;

	@Autowired
	ConfigVersionStore versions;

	@Autowired
	TransactionTemplate transactions;

	private String lastPage;

	@Test
	void aRealmMadeInTheConsoleProtectsALocationLiveAndItsPasswordChangesAndDeletionsApplyAtOnce() throws Exception {
		site("intranet", "intranet.test", List.of());
		HttpClient client = browser();
		assertThat(signIn(client, "admin", PASSWORD).statusCode()).isEqualTo(302);
		HttpResponse<String> created = form(client, "/console/realms/new", "/console/realms",
				"name=Staff&description=" + encode("The staff pages"));
		assertThat(created.statusCode()).isEqualTo(302);
		assertThat(created.headers().firstValue("location"))
			.hasValueSatisfying((location) -> assertThat(location).endsWith("/console/realms/Staff"));
		assertThat(form(client, "/console/realms/Staff", "/console/realms/Staff/users",
				"username=alice&password=first-pass-1&confirm=first-pass-1")
			.statusCode()).isEqualTo(302);
		String version = value(httpGet(client, "/console/sites/intranet/locations/new").body(), "version");
		assertThat(form(client, "/console/sites/intranet/locations/new", "/console/sites/intranet/locations",
				"kind=path&value=/staff/&settings=&realm=Staff&version=" + version)
			.statusCode()).isEqualTo(302);
		Location protectedLocation = this.config.current()
			.entries()
			.stream()
			.filter((entry) -> entry.name().equals("intranet"))
			.findFirst()
			.orElseThrow()
			.site()
			.locations()
			.get(0);
		assertThat(protectedLocation.settings()).isEqualTo(Map.of("auth", Map.of("realm", "Staff")));

		assertThat(dataPlane("intranet.test", "/staff/", null).statusCode()).isEqualTo(401);
		assertThat(dataPlane("intranet.test", "/staff/", "alice:wrong-pass-1").statusCode()).isEqualTo(401);
		Response allowed = dataPlane("intranet.test", "/staff/", "alice:first-pass-1");
		assertThat(allowed.statusCode()).isEqualTo(200);
		assertThat(allowed.body()).isEqualTo("staff of intranet");
		assertThat(dataPlane("intranet.test", "/", null).statusCode()).isEqualTo(200);

		assertThat(form(client, "/console/realms/Staff/users/alice", "/console/realms/Staff/users/alice/password",
				"password=second-pass-2&confirm=second-pass-2")
			.statusCode()).isEqualTo(302);
		assertThat(dataPlane("intranet.test", "/staff/", "alice:first-pass-1").statusCode()).isEqualTo(401);
		assertThat(dataPlane("intranet.test", "/staff/", "alice:second-pass-2").statusCode()).isEqualTo(200);

		HttpResponse<String> refused = form(client, "/console/realms/Staff/delete", "/console/realms/Staff/delete", "");
		assertThat(refused.headers().firstValue("location"))
			.hasValueSatisfying((location) -> assertThat(location).endsWith("/console/realms/Staff"));
		assertThat(this.lastPage)
			.contains("Nothing was deleted: realm Staff: in use by site intranet locations[0] (path /staff/)");
		assertThat(this.config.current().realm("Staff")).isPresent();

		assertThat(
				form(client, "/console/realms/Staff/users/alice/delete", "/console/realms/Staff/users/alice/delete", "")
					.statusCode())
			.isEqualTo(302);
		assertThat(dataPlane("intranet.test", "/staff/", "alice:second-pass-2").statusCode()).isEqualTo(401);
		assertThat(this.config.current().realm("Staff").orElseThrow().users()).isEmpty();
	}

	@Test
	void realmPagesNeverShowAHashAndTheAuditLogNamesUsersWithoutOne() throws Exception {
		this.realms.create("Hashless", "", "admin");
		this.realms.addUser("Hashless", "bob", "bob-password-1", "admin");
		this.realms.changePassword("Hashless", "bob", "bob-password-2", "admin");
		String hash = this.jdbc
			.queryForObject("select u.password_hash from auth_realm_user u join auth_realm r on r.id = u.realm_id "
					+ "where r.name = 'Hashless' and u.username = 'bob'", String.class);
		assertThat(hash).startsWith("$2y$10$");
		this.mvc.perform(get("/console/realms").with(ADMIN))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Hashless")))
			.andExpect(content().string(not(containsString("$2y$"))));
		for (String path : List.of("/console/realms/Hashless", "/console/realms/Hashless/users/bob",
				"/console/realms/Hashless/users/bob/delete")) {
			this.mvc.perform(get(path).with(ADMIN))
				.andExpect(status().isOk())
				.andExpect(content().string(containsString("bob")))
				.andExpect(content().string(not(containsString("$2y$"))));
		}
		this.mvc.perform(get("/console/realms/Hashless/delete").with(ADMIN))
			.andExpect(status().isOk())
			.andExpect(content().string(not(containsString("$2y$"))));
		assertThat(this.audit.recent(10)).anySatisfy((entry) -> {
			assertThat(entry.target()).isEqualTo("realm Hashless");
			assertThat(entry.after()).contains("bob (password changed)").doesNotContain("$2");
			assertThat(entry.before()).doesNotContain("$2");
		});
	}

	@Test
	@Order(1)
	void theListSaysHowToStartWhenThereAreNoRealmsAndShowsUsersAndLocationsOtherwise() throws Exception {
		assertThat(this.config.current().realms()).isEmpty();
		this.mvc.perform(get("/console/realms").with(ADMIN))
			.andExpect(content().string(containsString("id=\"realms-empty\"")))
			.andExpect(content().string(containsString("<em>Protect with a realm</em>")));
		this.realms.create("Listed", "listed realm", "admin");
		this.realms.addUser("Listed", "one", "one-password", "admin");
		site("listed", "listed.test", List.of(Map.of("path", "/staff/", "auth", Map.of("realm", "Listed"))));
		this.mvc.perform(get("/console/realms").with(ADMIN))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("id=\"realm-Listed\"")))
			.andExpect(content().string(containsString("listed realm")))
			.andExpect(content().string(containsString("listed · path /staff/")))
			.andExpect(content().string(not(containsString("id=\"realms-empty\""))))
			.andExpect(content().string(not(containsString("id=\"auth-off\""))));
	}

	@Test
	void anInvalidNameIsShownBesideItsFieldAndTheFormKeepsWhatWasTyped() throws Exception {
		this.mvc
			.perform(post("/console/realms").param("name", "no spaces")
				.param("description", "kept text")
				.with(ADMIN)
				.with(csrf()))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("id=\"name-error\"")))
			.andExpect(content().string(containsString("&#39;no spaces&#39; (expected: 1 to 64 letters")))
			.andExpect(content().string(containsString("value=\"kept text\"")));
		this.realms.create("Taken", "", "admin");
		this.mvc.perform(post("/console/realms").param("name", "Taken").with(ADMIN).with(csrf()))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("id=\"name-error\"")))
			.andExpect(content().string(containsString("A realm named &#39;Taken&#39; exists already")));
	}

	@Test
	void aShortPasswordOrADifferentConfirmationIsShownBesideItsFieldWithoutEchoingThePassword() throws Exception {
		this.realms.create("Checked", "", "admin");
		this.mvc
			.perform(post("/console/realms/Checked/users").param("username", "carol")
				.param("password", "short")
				.param("confirm", "short")
				.with(ADMIN)
				.with(csrf()))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("id=\"password-error\"")))
			.andExpect(content().string(containsString("Too short (expected: at least 8 characters)")))
			.andExpect(content().string(containsString("value=\"carol\"")))
			.andExpect(content().string(not(containsString("value=\"short\""))));
		this.mvc
			.perform(post("/console/realms/Checked/users").param("username", "carol")
				.param("password", "long-enough-1")
				.param("confirm", "long-enough-2")
				.with(ADMIN)
				.with(csrf()))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("id=\"confirm-error\"")))
			.andExpect(content().string(not(containsString("long-enough"))));
		this.mvc
			.perform(post("/console/realms/Checked/users").param("username", "has space")
				.param("password", "long-enough-1")
				.param("confirm", "long-enough-1")
				.with(ADMIN)
				.with(csrf()))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("id=\"username-error\"")));
		assertThat(this.config.current().realm("Checked").orElseThrow().users()).isEmpty();
	}

	@Test
	void aLocationNamingAMissingRealmIsRefusedBesideTheRealmSelect() throws Exception {
		site("missing-realm", "missing-realm.test", List.of());
		long version = this.config.current().version();
		this.mvc
			.perform(post("/console/sites/missing-realm/locations").param("kind", "path")
				.param("value", "/staff/")
				.param("settings", "")
				.param("realm", "Nowhere")
				.param("version", Long.toString(version))
				.with(ADMIN)
				.with(csrf()))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("id=\"realm-error\"")))
			.andExpect(content().string(containsString(
					"site missing-realm: locations[0].auth.realm: no realm &#39;Nowhere&#39; (create it under Realms, "
							+ "or give a users-file)")));
		assertThat(this.config.current().version()).isEqualTo(version);
	}

	@Test
	void theLocationFormShowsAStoredRealmInItsSelectAndKeepsOtherAuthKeysInTheYaml() throws Exception {
		this.realms.create("Selected", "", "admin");
		site("selected", "selected.test",
				List.of(Map.of("path", "/staff/", "auth", Map.of("realm", "Selected", "require", List.of("alice")))));
		this.mvc.perform(get("/console/sites/selected/locations/0").with(ADMIN))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("<option value=\"Selected\" selected=\"selected\">Selected")))
			.andExpect(content().string(containsString("require:\n  - alice")))
			.andExpect(content().string(not(containsString("realm: Selected"))));
	}

	@Test
	void viewersSeeRealmsButCannotChangeThem() throws Exception {
		account("realm-viewer", ConsoleUser.Role.VIEWER, "viewer-password-1");
		this.realms.create("Viewed", "", "admin");
		this.mvc.perform(get("/console/realms/Viewed").with(VIEWER))
			.andExpect(status().isOk())
			.andExpect(content().string(not(containsString("id=\"add-user\""))))
			.andExpect(content().string(not(containsString("id=\"save-realm\""))));
		this.mvc.perform(post("/console/realms/Viewed/delete").with(VIEWER).with(csrf()))
			.andExpect(status().isForbidden());
		this.mvc.perform(post("/console/realms").param("name", "ByViewer").with(VIEWER).with(csrf()))
			.andExpect(status().isForbidden());
		assertThat(this.config.current().realms()).extracting(Realm::name)
			.doesNotContain("ByViewer")
			.contains("Viewed");
	}

	@Test
	void aRealmInUseShowsWhereOnItsDeletePageAndAnUnusedOneIsDeleted() throws Exception {
		this.realms.create("Used", "", "admin");
		site("used", "used.test", List.of(Map.of("path", "/staff/", "auth", Map.of("realm", "Used"))));
		this.mvc.perform(get("/console/realms/Used/delete").with(ADMIN))
			.andExpect(content().string(containsString("id=\"realm-in-use\"")))
			.andExpect(content().string(containsString("site used, location 1 (path /staff/)")))
			.andExpect(content().string(not(containsString("id=\"confirm-delete\""))));
		this.realms.create("Unused", "", "admin");
		this.mvc.perform(post("/console/realms/Unused/delete").with(ADMIN).with(csrf()))
			.andExpect(redirectedUrl("/console/realms"));
		assertThat(this.config.current().realm("Unused")).isEmpty();
		this.mvc.perform(get("/console/realms/Unused").with(ADMIN)).andExpect(status().isNotFound());
	}

	/**
	 * Post a form as a browser does: open its page for the CSRF token, post, and follow
	 * the redirect (which shows, and so uses up, the message for the next page).
	 */
	@Test
	void aRealmChangedByAnotherNodeIsAppliedAtTheNextPoll() throws Exception {
		this.realms.create("Remote", "", "admin");
		this.realms.addUser("Remote", "rita", "rita-pass-1", "admin");
		site("remote", "remote.test", List.of(Map.of("path", "/staff/", "auth", Map.of("realm", "Remote"))));
		assertThat(dataPlane("remote.test", "/staff/", "rita:rita-pass-1").statusCode()).isEqualTo(200);
		String hash = RealmRules.hash("rita-pass-2");
		this.transactions.executeWithoutResult((status) -> {
			List<Realm> stored = this.realmStore.findAll()
				.stream()
				.map((realm) -> realm.name().equals("Remote")
						? realm.withUser(realm.user("rita").orElseThrow().withPasswordHash(hash)) : realm)
				.toList();
			this.realmStore.replaceAll(stored);
			this.versions.bump("another-node");
		});
		assertThat(this.config.refresh()).isTrue();
		assertThat(dataPlane("remote.test", "/staff/", "rita:rita-pass-1").statusCode()).isEqualTo(401);
		assertThat(dataPlane("remote.test", "/staff/", "rita:rita-pass-2").statusCode()).isEqualTo(200);
	}

	@Test
	void aRealmChangeComputedFromAConfigurationChangedMeanwhileIsRefusedAndNothingIsWritten() {
		this.realms.create("Raced", "", "admin");
		long before = this.config.current().version();
		assertThatExceptionOfType(ConfigurationConflictException.class)
			.isThrownBy(() -> this.config.changeRealms((current) -> {
				// another node commits between this node's read and its write
				this.transactions.executeWithoutResult((status) -> this.versions.bump("another-node"));
				return current.stream().filter((realm) -> !realm.name().equals("Raced")).toList();
			}, "admin"))
			.withMessage("configuration: changed meanwhile (version " + before + " is now " + (before + 1)
					+ "); nothing was changed, try again");
		assertThat(this.config.current().realm("Raced")).isPresent();
		assertThat(this.config.current().version()).isEqualTo(before + 1);
	}

	@Test
	void theImportPageShowsRealmChangesBeforeApplyingThem() throws Exception {
		String document = ConfigDocument.write(this.config.current())
			.replace("realms:",
					"realms:\n- name: FromImport\n  users:\n  - name: ivy\n    password-hash: '{SHA}9SMYoF5RilWWASry7TjeaKwmpGg='");
		this.mvc.perform(post("/console/import").param("document", document).with(ADMIN).with(csrf()))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("realm FromImport")))
			.andExpect(content().string(containsString("ivy")))
			.andExpect(content().string(not(containsString("{SHA}"))));
		assertThat(this.config.current().realm("FromImport")).isEmpty();
	}

	private HttpResponse<String> form(HttpClient client, String page, String action, String body) throws Exception {
		String token = csrfToken(httpGet(client, page).body());
		HttpResponse<String> response = httpPost(client, action, (body.isEmpty() ? "" : body + "&") + "_csrf=" + token);
		this.lastPage = response.headers()
			.firstValue("location")
			.map((location) -> URI.create(location).getPath())
			.map((path) -> {
				try {
					return httpGet(client, path).body();
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			})
			.orElse(response.body());
		return response;
	}

	private static String value(String html, String name) {
		Matcher matcher = Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"").matcher(html);
		assertThat(matcher.find()).as("field " + name).isTrue();
		return matcher.group(1);
	}

	private static String encode(String text) {
		return URLEncoder.encode(text, StandardCharsets.UTF_8);
	}

}
