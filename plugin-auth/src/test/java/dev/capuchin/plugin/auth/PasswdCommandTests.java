package dev.capuchin.plugin.auth;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class PasswdCommandTests {

	@TempDir
	Path temp;

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	private final ByteArrayOutputStream err = new ByteArrayOutputStream();

	@Test
	void aNewFileIsCreatedWithMode0600AndABcryptUser() throws Exception {
		Path file = this.temp.resolve("users");
		assertThat(run("wonderland\n", file.toString(), "alice", "--password-stdin")).isZero();
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
		List<String> lines = Files.readAllLines(file);
		assertThat(lines).singleElement().asString().startsWith("alice:$2y$12$");
		assertThat(UsersFile.load(file).verify("alice", "wonderland")).isTrue();
		assertThat(output()).isEqualTo("Created " + file + " with user alice\n");
	}

	@Test
	void anExistingUserIsUpdatedInPlaceKeepingOtherLinesAndTheMode() throws Exception {
		Path file = Files.writeString(this.temp.resolve("users"),
				"# team\n" + UsersFileTests.HTPASSWD_ALICE + "\n" + UsersFileTests.SHA_BOB + "\n");
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
		assertThat(run("looking-glass\n", file.toString(), "alice", "--password-stdin")).isZero();
		List<String> lines = Files.readAllLines(file);
		assertThat(lines).hasSize(3);
		assertThat(lines.get(0)).isEqualTo("# team");
		assertThat(lines.get(1)).startsWith("alice:$2y$12$");
		assertThat(lines.get(2)).isEqualTo(UsersFileTests.SHA_BOB);
		UsersFile users = UsersFile.load(file);
		assertThat(users.verify("alice", "looking-glass")).isTrue();
		assertThat(users.verify("alice", "wonderland")).isFalse();
		assertThat(users.verify("bob", "builder")).isTrue();
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
		assertThat(output()).isEqualTo("Updated user alice in " + file + "\n");
	}

	@Test
	void aNewUserIsAddedToAnExistingFile() throws Exception {
		Path file = Files.writeString(this.temp.resolve("users"), UsersFileTests.SHA_BOB);
		assertThat(run("pässwörd\r\n", file.toString(), "zoë", "--password-stdin")).isZero();
		UsersFile users = UsersFile.load(file);
		assertThat(users.users()).containsExactly("bob", "zoë");
		assertThat(users.verify("zoë", "pässwörd")).isTrue();
		assertThat(output()).isEqualTo("Added user zoë to " + file + "\n");
	}

	@Test
	void theFileIsReplacedWithoutLeavingATemporaryFile() throws Exception {
		Path file = Files.writeString(this.temp.resolve("users"), UsersFileTests.SHA_BOB + "\n");
		Object inode = Files.readAttributes(file, "unix:ino").get("ino");
		assertThat(run("x\n", file.toString(), "bob", "--password-stdin")).isZero();
		try (var entries = Files.list(this.temp)) {
			assertThat(entries).containsExactly(file);
		}
		assertThat(Files.readAttributes(file, "unix:ino").get("ino")).isNotEqualTo(inode);
	}

	@Test
	void withoutAConsoleTheCommandAsksForPasswordStdin() {
		Path file = this.temp.resolve("users");
		assertThat(run("wonderland\n", file.toString(), "alice")).isEqualTo(1);
		assertThat(errors()).contains("no console").contains("--password-stdin");
		assertThat(file).doesNotExist();
	}

	@Test
	void aPasswordLongerThan72BytesIsRefused() {
		Path file = this.temp.resolve("users");
		assertThat(run("é".repeat(37) + "\n", file.toString(), "alice", "--password-stdin")).isEqualTo(1);
		assertThat(errors()).contains("refused: password longer than 72 bytes");
		assertThat(file).doesNotExist();
	}

	@Test
	void emptyStandardInputIsRefused() {
		assertThat(run("", this.temp.resolve("users").toString(), "alice", "--password-stdin")).isEqualTo(1);
		assertThat(errors()).contains("no password on standard input");
	}

	@Test
	void anEmptyPasswordIsRefused() {
		assertThat(run("\n", this.temp.resolve("users").toString(), "alice", "--password-stdin")).isEqualTo(1);
		assertThat(errors()).contains("refused: empty password");
	}

	@Test
	void aUserNameWithAColonIsRefused() {
		assertThat(run("x\n", this.temp.resolve("users").toString(), "al:ice", "--password-stdin")).isEqualTo(1);
		assertThat(errors()).contains("refused: user name contains ':'");
	}

	@Test
	void missingArgumentsPrintTheUsage() {
		assertThat(run("", this.temp.resolve("users").toString())).isEqualTo(2);
		assertThat(errors()).contains("usage: java -jar capuchin.jar passwd FILE USER [--password-stdin]");
	}

	@Test
	void anUnknownOptionPrintsTheUsage() {
		assertThat(run("", "users", "alice", "--cost=4")).isEqualTo(2);
		assertThat(errors()).contains("unknown option --cost=4").contains("usage:");
	}

	private int run(String stdin, String... args) {
		return new PasswdCommand().run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
				new PrintStream(this.out, true, StandardCharsets.UTF_8),
				new PrintStream(this.err, true, StandardCharsets.UTF_8), null);
	}

	private String output() {
		return this.out.toString(StandardCharsets.UTF_8);
	}

	private String errors() {
		return this.err.toString(StandardCharsets.UTF_8);
	}

}
