package dev.capuchin.plugin.auth;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.capuchin.core.spi.Location;
import dev.capuchin.core.spi.Site;
import dev.capuchin.core.internal.site.SiteLoader;
import dev.capuchin.core.spi.SiteTable;
import dev.capuchin.plugin.auth.internal.PreparedAuth;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class AuthPluginTests {

	@TempDir
	Path temp;

	private Path users;

	private Path root;

	private final AuthPlugin plugin = new AuthPlugin(AuthSettings.defaults());

	@BeforeEach
	void files() throws Exception {
		this.users = Files.writeString(this.temp.resolve("users"), UsersFileTests.SHA_BOB + "\n");
		this.root = Files.createDirectories(this.temp.resolve("htdocs"));
	}

	@AfterEach
	void stop() {
		this.plugin.stop();
	}

	@Test
	void theSiteFileContractIsRead() throws Exception {
		Path sites = Files.createDirectories(this.temp.resolve("sites"));
		Files.writeString(sites.resolve("shop.yml"), """
				name: shop
				server-names: [shop.example]
				document-root: %s
				locations:
				  - path: /private/
				    auth: { realm: Private, users-file: %s }
				  - path: /team/
				    auth: { realm: Team, users-file: %s, require: [alice, bob] }
				  - path: /
				""".formatted(this.root, this.users, this.users));
		SiteTable table = SiteTable.of(new SiteLoader(this.temp).loadDirectory(sites));
		PreparedAuth prepared = (PreparedAuth) this.plugin.prepare(table);
		List<Location> locations = table.site("shop").locations();
		assertThat(prepared.size()).isEqualTo(2);
		assertThat(prepared.get(locations.get(0)).realm()).isEqualTo("Private");
		assertThat(prepared.get(locations.get(0)).require().validUser()).isTrue();
		assertThat(prepared.get(locations.get(1)).require().permits("alice")).isTrue();
		assertThat(prepared.get(locations.get(1)).require().permits("carol")).isFalse();
		assertThat(prepared.get(locations.get(2))).isNull();
	}

	@Test
	void aPlaintextEntryRefusesTheTableNamingSiteFieldFileLineAndUser() throws Exception {
		Files.writeString(this.users, UsersFileTests.SHA_BOB + "\ncarol:secret\n");
		assertThatIllegalArgumentException().isThrownBy(
				() -> this.plugin.prepare(table(location("/private/", Map.of("users-file", this.users.toString())))))
			.withMessageStartingWith(
					"site default: locations[0].auth.users-file: " + this.users + ": line 2: user carol: plaintext")
			.withMessageNotContaining("secret");
	}

	@Test
	void anUnknownModeRefusesTheTableNamingTheField() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.plugin.prepare(table(location("/", Map.of("mode", "digest")))))
			.withMessage(
					"site default: locations[0].auth.mode: 'digest' is not supported (expected: basic, bearer, openid)");
	}

	@Test
	void anAuthBlockAtSiteLevelRefusesTheTable() {
		Map<String, Object> keys = siteKeys();
		keys.put("auth", Map.of("users-file", this.users.toString()));
		assertThatIllegalArgumentException().isThrownBy(() -> this.plugin.prepare(table(keys)))
			.withMessageStartingWith("site default: auth: not read at site level");
	}

	@Test
	void locationsWithoutAnAuthBlockAreNotProtected() {
		SiteTable table = table(location("/", null));
		PreparedAuth prepared = (PreparedAuth) this.plugin.prepare(table);
		assertThat(prepared.size()).isZero();
		assertThat(prepared.get(table.sites().get(0).locations().get(0))).isNull();
	}

	@Test
	void aRelativeUsersFileIsResolvedAgainstTheWorkingDirectory() {
		Path relative = Path.of("").toAbsolutePath().relativize(this.users);
		SiteTable table = table(location("/", Map.of("users-file", relative.toString())));
		PreparedAuth prepared = (PreparedAuth) this.plugin.prepare(table);
		assertThat(prepared.size()).isEqualTo(1);
	}

	private Map<String, Object> location(String path, Map<String, Object> auth) {
		Map<String, Object> location = new LinkedHashMap<>();
		location.put("path", path);
		if (auth != null) {
			location.put("auth", auth);
		}
		Map<String, Object> keys = siteKeys();
		keys.put("locations", List.of(location));
		return keys;
	}

	private Map<String, Object> siteKeys() {
		Map<String, Object> keys = new LinkedHashMap<>();
		keys.put("name", "default");
		keys.put("document-root", this.root.toString());
		return keys;
	}

	private SiteTable table(Map<String, Object> keys) {
		Site site = new SiteLoader(this.temp).parse(keys, "default");
		return SiteTable.of(site);
	}

}
