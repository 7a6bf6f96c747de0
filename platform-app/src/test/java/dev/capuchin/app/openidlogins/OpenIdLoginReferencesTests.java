package dev.capuchin.app.openidlogins;

import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.capuchin.app.identity.MasterKey;
import dev.capuchin.app.shared.config.ConfigurationConflictException;
import dev.capuchin.app.shared.config.InvalidConfigurationException;
import dev.capuchin.app.sites.SiteEntry;
import dev.capuchin.core.spi.Location;
import dev.capuchin.core.spi.Site;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link OpenIdLoginReferences}: a location's {@code auth: {openid: {login: corp}}} is
 * resolved into the block plugin-auth reads, the location's own keys kept.
 */
class OpenIdLoginReferencesTests {

	private static final String MASTER = Base64.getEncoder().encodeToString(new byte[32]);

	private final OpenIdLoginKeys keys = new OpenIdLoginKeys(() -> MasterKey.load(MASTER, Path.of("unused")));

	@Test
	void aLocationNamingALoginGetsTheWholeBlockWithItsOwnKeysKept() {
		OpenIdLogin corp = login("corp", "s3cret");
		Map<String, Object> require = Map.of("claims", Map.of("groups", List.of("staff")));
		Site site = site(Map.of("login", "corp", "require", require, "forward", Map.of("access-token", true)));
		Site resolved = OpenIdLoginReferences.resolve(site,
				Map.of("corp", OpenIdLoginReferences.block(corp, this.keys)));
		Map<?, ?> block = (Map<?, ?>) ((Map<?, ?>) resolved.locations().get(0).setting("auth")).get("openid");
		assertThat(block.keySet().stream().map(String::valueOf).toList()).containsExactlyInAnyOrder("login", "issuer",
				"client-id", "client-secret", "scopes", "parameters", "user-claim", "session-key", "require",
				"forward");
		assertThat(block.get("issuer")).isEqualTo("https://id.example.com");
		assertThat(block.get("client-secret")).isEqualTo("s3cret");
		assertThat(block.get("scopes")).isEqualTo(List.of("openid", "email"));
		assertThat(block.get("parameters")).isEqualTo(Map.of("prompt", "login"));
		assertThat(block.get("user-claim")).isEqualTo("preferred_username");
		assertThat(block.get("require")).isEqualTo(require);
		assertThat(Base64.getDecoder().decode((String) block.get("session-key"))).hasSize(32);
	}

	@Test
	void theSessionKeyIsTheSameForEveryNodeAndDiffersPerLogin() {
		OpenIdLoginKeys other = new OpenIdLoginKeys(() -> MasterKey.load(MASTER, Path.of("elsewhere")));
		assertThat(this.keys.sessionKey("corp")).isEqualTo(other.sessionKey("corp"))
			.isNotEqualTo(this.keys.sessionKey("partners"));
	}

	@Test
	void aPublicClientsBlockHasNoSecret() {
		Map<String, Object> block = OpenIdLoginReferences.block(login("spa", null), this.keys);
		assertThat(block).doesNotContainKey("client-secret").containsKey("session-key");
	}

	@Test
	void anUnknownLoginIsRefusedNamingTheField() {
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> OpenIdLoginReferences
				.check(List.of(new SiteEntry(site(Map.of("login", "nowhere")), true)), java.util.Set.of("corp")))
			.withMessage("site shop: locations[0].auth.openid.login: no OpenID login 'nowhere' "
					+ "(create it under OpenID logins)");
	}

	@Test
	void aLocationCannotSetWhatTheLoginSets() {
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> OpenIdLoginReferences.check(
					List.of(new SiteEntry(site(Map.of("login", "corp", "client-secret", "x")), true)),
					java.util.Set.of("corp")))
			.withMessageStartingWith("site shop: locations[0].auth.openid.client-secret: set by the OpenID login");
	}

	@Test
	void removingALoginInUseIsRefusedNamingTheLocation() {
		assertThatExceptionOfType(ConfigurationConflictException.class)
			.isThrownBy(() -> OpenIdLoginReferences.checkRemoved(java.util.Set.of("corp"), java.util.Set.of(),
					List.of(new SiteEntry(site(Map.of("login", "corp")), true))))
			.withMessage("openid-login corp: in use by site shop locations[0] (path /team/) "
					+ "(point those locations elsewhere first)");
	}

	private OpenIdLogin login(String name, String secret) {
		return new OpenIdLogin(name, "https://id.example.com", "capuchin",
				(secret != null) ? this.keys.encrypt(secret) : null, List.of("openid", "email"),
				Map.of("prompt", "login"), "preferred_username", OpenIdLogin.Claims.STANDARD, List.of());
	}

	private static Site site(Map<String, Object> openid) {
		Map<String, Object> settings = new LinkedHashMap<>();
		settings.put("auth", Map.of("openid", new LinkedHashMap<>(openid)));
		return new Site("shop", List.of("shop.test"), false, null, Path.of("/srv/shop"), List.of(), Map.of(), true,
				false, false, true, null, List.of(new Location("/team/", null, settings)), Map.of());
	}

}
