package dev.capuchin.plugin.auth;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class UsersFileTests {

	/** Written by Apache's {@code htpasswd -nbB -C 5 alice wonderland}. */
	static final String HTPASSWD_ALICE = "alice:$2y$05$X1KwI5lo/R/WaZ9sA3xO7.6SQqOYOxr2gt91KJ/Qr4ApUY5iFJGoa";

	/**
	 * Written by {@code htpasswd -nbs bob builder}, the form Monkey's mk_passwd writes.
	 */
	static final String SHA_BOB = "bob:{SHA}9SMYoF5RilWWASry7TjeaKwmpGg=";

	/** Written by {@code htpasswd -nbB -C 5 zoë pässwörd} in a UTF-8 terminal. */
	static final String HTPASSWD_ZOE = "zoë:$2y$05$6F4vTzPB5OhekPGoIXeuAeZv.Xteqt.msrka14sVFH5vYczdmiQY.";

	@TempDir
	Path temp;

	@Test
	void anHtpasswdBcryptLineWithThe2yPrefixVerifies() {
		UsersFile users = UsersFile.parse("users", HTPASSWD_ALICE + "\n");
		assertThat(users.verify("alice", "wonderland")).isTrue();
		assertThat(users.verify("alice", "Wonderland")).isFalse();
	}

	@ParameterizedTest
	@EnumSource(BCryptPasswordEncoder.BCryptVersion.class)
	void bcryptHashesOfEveryPrefixVerify(BCryptPasswordEncoder.BCryptVersion version) {
		String hash = new BCryptPasswordEncoder(version, 4).encode("secret");
		UsersFile users = UsersFile.parse("users", "carol:" + hash + "\n");
		assertThat(hash).startsWith(version.getVersion());
		assertThat(users.verify("carol", "secret")).isTrue();
		assertThat(users.verify("carol", "secret ")).isFalse();
	}

	@Test
	void aShaLineAsMkPasswdWritesItVerifies() {
		UsersFile users = UsersFile.parse("users", SHA_BOB);
		assertThat(users.verify("bob", "builder")).isTrue();
		assertThat(users.verify("bob", "build")).isFalse();
	}

	@Test
	void utf8UserNamesAndPasswordsVerify() {
		UsersFile users = UsersFile.parse("users", HTPASSWD_ZOE + "\n");
		assertThat(users.users()).containsExactly("zoë");
		assertThat(users.verify("zoë", "pässwörd")).isTrue();
	}

	@Test
	void commentsBlankLinesAndCarriageReturnsAreSkipped() {
		UsersFile users = UsersFile.parse("users",
				"# users of the private area\r\n\r\n   \n" + HTPASSWD_ALICE + "\r\n  # bob\n" + SHA_BOB + "\n");
		assertThat(users.users()).containsExactly("alice", "bob");
		assertThat(users.verify("alice", "wonderland")).isTrue();
		assertThat(users.verify("bob", "builder")).isTrue();
	}

	@Test
	void anUnknownUserIsNotVerified() {
		UsersFile users = UsersFile.parse("users", HTPASSWD_ALICE);
		assertThat(users.contains("mallory")).isFalse();
		assertThat(users.verify("mallory", "wonderland")).isFalse();
	}

	@Test
	void aPlaintextEntryIsRefusedNamingTheFileTheLineAndTheUser() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> UsersFile.parse("/etc/capuchin/users", HTPASSWD_ALICE + "\n# x\ndave:letmein\n"))
			.withMessageStartingWith("/etc/capuchin/users: line 3: user dave: plaintext password")
			.withMessageNotContaining("letmein");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			carol:$apr1$YlwufJTj$.1op9nqX8W8cKlrK0BoY20 | user carol: unsupported scheme $apr1$ (Apache MD5
			carol:$6$salt$abcdefgh                     | user carol: unsupported scheme $6$
			carol:{SSHA}abcdefgh                       | user carol: unsupported scheme {SSHA}
			carol:{SHA}c2hvcnQ=                        | user carol: malformed {SHA} hash
			carol:$2y$05$tooshort                      | user carol: malformed bcrypt hash
			carol:$2y$99$X1KwI5lo/R/WaZ9sA3xO7.6SQqOYOxr2gt91KJ/Qr4ApUY5iFJGoa | user carol: bcrypt cost 99
			carol:                                     | user carol: plaintext password
			carol                                      | expected user:hash
			:$2y$05$X1KwI5lo/R/WaZ9sA3xO7.6SQqOYOxr2gt91KJ/Qr4ApUY5iFJGoa | empty user name
			""")
	void unsupportedEntriesAreRefusedWithTheReason(String line, String reason) {
		assertThatIllegalArgumentException().isThrownBy(() -> UsersFile.parse("users", line))
			.withMessageStartingWith("users: line 1: " + reason);
	}

	@Test
	void aUserListedTwiceIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> UsersFile.parse("users", HTPASSWD_ALICE + "\n" + SHA_BOB + "\n" + HTPASSWD_ALICE))
			.withMessage("users: line 3: user alice: listed again (first on line 1)");
	}

	@Test
	void loadReadsAFile() throws Exception {
		Path file = this.temp.resolve("users");
		Files.writeString(file, HTPASSWD_ZOE + "\n" + SHA_BOB + "\n", StandardCharsets.UTF_8);
		UsersFile users = UsersFile.load(file);
		assertThat(users.source()).isEqualTo(file.toString());
		assertThat(users.users()).containsExactly("zoë", "bob");
	}

	@Test
	void loadRefusesAMissingFileByName() {
		Path file = this.temp.resolve("missing");
		assertThatIllegalArgumentException().isThrownBy(() -> UsersFile.load(file))
			.withMessage(file + ": no such file");
	}

	@Test
	void loadRefusesAFileThatIsNotUtf8() throws Exception {
		Path file = this.temp.resolve("latin1");
		Files.write(file, "zoë:{SHA}9SMYoF5RilWWASry7TjeaKwmpGg=\n".getBytes(StandardCharsets.ISO_8859_1));
		assertThatIllegalArgumentException().isThrownBy(() -> UsersFile.load(file))
			.withMessage(file + ": not UTF-8 text");
	}

}
