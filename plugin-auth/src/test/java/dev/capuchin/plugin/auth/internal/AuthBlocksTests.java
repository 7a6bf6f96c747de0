package dev.capuchin.plugin.auth.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.capuchin.plugin.auth.AuthSettings;
import dev.capuchin.plugin.auth.BasicAuthMode;
import dev.capuchin.plugin.auth.LocationAuth;
import dev.capuchin.plugin.auth.Require;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class AuthBlocksTests {

	private static final String FIELD = "site shop: locations[0].auth";

	@TempDir
	Path temp;

	private Path users;

	private AuthBlocks blocks;

	@BeforeEach
	void usersFile() throws Exception {
		this.users = Files.writeString(this.temp.resolve("users"), "bob:{SHA}9SMYoF5RilWWASry7TjeaKwmpGg=\n");
		BasicAuthMode basic = new BasicAuthMode(AuthSettings.defaults(), Schedulers.immediate());
		this.blocks = new AuthBlocks(Map.of(basic.name(), basic));
	}

	@Test
	void aBlockWithOnlyAUsersFileIsBasicForEveryValidUserOfTheDefaultRealm() {
		LocationAuth auth = this.blocks.compile(FIELD, block("users-file", this.users.toString()));
		assertThat(auth.mode().name()).isEqualTo("basic");
		assertThat(auth.realm()).isEqualTo("Restricted");
		assertThat(auth.require()).isEqualTo(Require.VALID_USER);
		assertThat(auth.modeSettings(BasicLocation.class).challenge())
			.isEqualTo("Basic realm=\"Restricted\", charset=\"UTF-8\"");
		assertThat(auth.modeSettings(BasicLocation.class).users().current().users().users()).containsExactly("bob");
	}

	@Test
	void realmRequireAndModeAreRead() {
		LocationAuth auth = this.blocks.compile(FIELD, block("mode", "basic", "realm", "Private", "users-file",
				this.users.toString(), "require", List.of("alice", "bob")));
		assertThat(auth.realm()).isEqualTo("Private");
		assertThat(auth.require()).isEqualTo(Require.users(Set.of("alice", "bob")));
	}

	@Test
	void requireValidUserIsEveryUser() {
		LocationAuth auth = this.blocks.compile(FIELD,
				block("users-file", this.users.toString(), "require", "valid-user"));
		assertThat(auth.require().validUser()).isTrue();
	}

	@Test
	void anUnknownModeIsRefusedNamingTheField() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.blocks.compile(FIELD, block("mode", "digest", "users-file", this.users.toString())))
			.withMessage(FIELD + ".mode: 'digest' is not supported (expected: basic)");
	}

	@Test
	void anUnknownKeyIsRefusedNamingIt() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.blocks.compile(FIELD, block("users-file", this.users.toString(), "user-file", "x")))
			.withMessage(FIELD
					+ ".user-file: unknown key for mode basic (expected: mode, realm, require, users, users-file)");
	}

	@Test
	void aMissingUsersFileIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.blocks.compile(FIELD, block("realm", "Private")))
			.withMessageStartingWith(FIELD + ".users-file: missing");
	}

	@Test
	void aUsersFileThatDoesNotExistIsRefusedByName() {
		Path missing = this.temp.resolve("nobody");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.blocks.compile(FIELD, block("users-file", missing.toString())))
			.withMessage(FIELD + ".users-file: " + missing + ": no such file");
	}

	@Test
	void aUsersFileWithAPlaintextEntryIsRefusedNamingFileLineAndUser() throws Exception {
		Path plain = Files.writeString(this.temp.resolve("plain"),
				"# users\nbob:{SHA}9SMYoF5RilWWASry7TjeaKwmpGg=\n" + "carol:letmein\n");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.blocks.compile(FIELD, block("users-file", plain.toString())))
			.withMessageStartingWith(FIELD + ".users-file: " + plain + ": line 3: user carol: plaintext password");
	}

	@Test
	void aRealmWithALineBreakIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.blocks.compile(FIELD,
					block("realm", "Private\r\nSet-Cookie: x=y", "users-file", this.users.toString())))
			.withMessageStartingWith(FIELD + ".realm: 'Private??Set-Cookie: x=y' contains a character outside");
	}

	@Test
	void aRequireThatIsNeitherValidUserNorAListIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.blocks.compile(FIELD, block("users-file", this.users.toString(), "require", "bob")))
			.withMessage(FIELD + ".require: 'bob' (expected: valid-user or a non-empty list of users)");
	}

	@Test
	void aRequireListWithAnInvalidNameIsRefusedNamingTheEntry() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.blocks.compile(FIELD,
					block("users-file", this.users.toString(), "require", List.of("bob", "a:b"))))
			.withMessage(FIELD + ".require[1]: user name contains ':'");
	}

	@Test
	void inlineUsersAreReadInsteadOfAUsersFile() {
		LocationAuth auth = this.blocks.compile(FIELD,
				block("realm", "Staff", "users", Map.of("bob", "{SHA}9SMYoF5RilWWASry7TjeaKwmpGg=")));
		UserSource users = auth.modeSettings(BasicLocation.class).users();
		assertThat(users.current().users().verify("bob", "builder")).isTrue();
		assertThat(users.cacheName()).startsWith("users:");
	}

	@Test
	void inlineUsersWithTheSameHashesShareTheirCacheNameAndAChangedHashDoesNot() {
		UserSource one = compileUsers(Map.of("bob", "{SHA}9SMYoF5RilWWASry7TjeaKwmpGg="));
		UserSource same = compileUsers(Map.of("bob", "{SHA}9SMYoF5RilWWASry7TjeaKwmpGg="));
		UserSource changed = compileUsers(Map.of("bob", "{SHA}fEqNCco3Yq9h5ZUglD3CZJT4lBs="));
		UserSource added = compileUsers(
				Map.of("bob", "{SHA}9SMYoF5RilWWASry7TjeaKwmpGg=", "eve", "{SHA}fEqNCco3Yq9h5ZUglD3CZJT4lBs="));
		assertThat(same.cacheName()).isEqualTo(one.cacheName());
		assertThat(changed.cacheName()).isNotEqualTo(one.cacheName());
		assertThat(added.cacheName()).isNotEqualTo(one.cacheName());
	}

	@Test
	void bothUsersFileAndUsersAreRefusedNamingUsers() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.blocks.compile(FIELD, block("users-file", this.users.toString(), "users", Map.of())))
			.withMessage(
					FIELD + ".users: not allowed beside users-file (expected: exactly one of users-file and users)");
	}

	@Test
	void neitherUsersFileNorUsersIsRefusedNamingBoth() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.blocks.compile(FIELD, block("realm", "Staff")))
			.withMessage(FIELD + ".users-file: missing (expected: the path of an htpasswd users file, "
					+ "or users: a mapping of user names to hashes)");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			carol   | letmein                                | user carol: plaintext password or crypt(3) hash refused
			carol   | $apr1$abc$def                          | user carol: unsupported scheme $apr1$
			carol   | $2y$05$short                           | user carol: malformed bcrypt hash
			'a:b'   | {SHA}9SMYoF5RilWWASry7TjeaKwmpGg=      | user name contains ':'
			' bob'  | {SHA}9SMYoF5RilWWASry7TjeaKwmpGg=      | user name starts or ends with white space
			""")
	void inlineUsersAreRefusedAsUsersFileLinesAreNamingTheUserNeverThePassword(String user, String hash,
			String expected) {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.blocks.compile(FIELD, block("users", Map.of(user, hash))))
			.withMessageStartingWith(FIELD + ".users: " + expected)
			.withMessageNotContaining("letmein");
	}

	@Test
	void inlineUsersThatAreNotAMappingAreRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.blocks.compile(FIELD, block("users", List.of("bob"))))
			.withMessage(FIELD + ".users: expected a mapping of user names to password hashes");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.blocks.compile(FIELD, block("users", Map.of("bob", 1234))))
			.withMessage(FIELD + ".users: user bob: expected a password hash (bcrypt $2y$, $2a$ or $2b$, or {SHA})");
	}

	private UserSource compileUsers(Map<String, Object> users) {
		return this.blocks.compile(FIELD, block("users", users)).modeSettings(BasicLocation.class).users();
	}

	@Test
	void aBlockThatIsNotAMapIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.blocks.compile(FIELD, "on"))
			.withMessage(FIELD + ": expected a map (realm, users-file, require)");
	}

	private static Map<String, Object> block(Object... keysAndValues) {
		Map<String, Object> block = new LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			block.put((String) keysAndValues[i], keysAndValues[i + 1]);
		}
		return block;
	}

}
