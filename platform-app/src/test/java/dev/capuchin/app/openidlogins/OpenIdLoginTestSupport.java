package dev.capuchin.app.openidlogins;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.capuchin.app.shared.api.ApiTestSupport;
import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.app.sites.SiteEntry;
import dev.capuchin.core.spi.Location;
import dev.capuchin.core.spi.Site;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What the OpenID login tests over HTTP share: no plugin-auth, as the control plane's
 * side is under test here, not the {@code openid} mode that reads the resolved blocks;
 * and a site {@code team} of their own, removed with every login before and after each
 * test so the other tests of the store find it as they left it.
 */
abstract class OpenIdLoginTestSupport extends ApiTestSupport {

	/** The site the tests' locations are in. */
	static final String TEAM = "team";

	private static final Path TEAM_ROOT = documentRoot("team-root", "team");

	@Autowired
	ConfigService config;

	@DynamicPropertySource
	static void withoutPluginAuth(DynamicPropertyRegistry registry) {
		registry.add("capuchin.plugins.auth.enabled", () -> "false");
	}

	@BeforeEach
	@AfterEach
	void noTeamSiteAndNoLogins() {
		team(null);
		this.config.changeOpenIdLogins((logins) -> List.of(), "test");
	}

	/**
	 * Make the {@code team} site have one location {@code /team/} naming a login, or
	 * remove it.
	 * @param login the login, or {@code null} to remove the site
	 */
	void team(String login) {
		List<SiteEntry> entries = new ArrayList<>(
				this.config.current().entries().stream().filter((entry) -> !entry.name().equals(TEAM)).toList());
		if (login != null) {
			entries.add(
					new SiteEntry(
							new Site(TEAM, List.of("team.test"), false, null, TEAM_ROOT, List.of(), Map.of(), true,
									false, false, true, null,
									List.of(new Location("/team/", null,
											Map.of("auth", Map.of("openid", Map.of("login", login))))),
									Map.of()),
							true));
		}
		this.config.apply(entries, "test", false);
	}

	/**
	 * A configuration document with the {@code team} site added before the realms.
	 * @param exported the exported document
	 * @param locations the site's {@code locations:} lines, indented by two
	 * @return the document
	 */
	static String withTeam(String exported, String locations) {
		int realms = exported.indexOf("\nrealms:");
		return exported.substring(0, realms + 1) + "- name: " + TEAM + "\n  server-names: [team.test]\n"
				+ "  document-root: " + TEAM_ROOT + "\n" + locations + exported.substring(realms + 1);
	}

}
