package dev.capuchin.plugin.auth;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the users file: any text is a set of acceptable users or an
 * {@link IllegalArgumentException} naming the file, never another exception.
 */
class UsersFileFuzzTests {

	@FuzzTest(maxDuration = "2m")
	void parse(FuzzedDataProvider data) {
		UsersFile users;
		try {
			users = UsersFile.parse("users.yml", data.consumeRemainingAsString());
		}
		catch (IllegalArgumentException ex) {
			assertThat(ex.getMessage()).contains("users.yml");
			return;
		}
		for (String user : users.users()) {
			assertThat(UsersFile.userProblem(user)).as(user).isNull();
			assertThat(users.contains(user)).isTrue();
		}
	}

}
