package dev.capuchin.app.users;

import dev.capuchin.app.shared.api.ApiTestSupport;
import java.net.http.HttpResponse;
import java.util.Map;

import dev.capuchin.app.TestApplication;
import dev.capuchin.app.audit.AuditLog;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

class UsersApiTests extends ApiTestSupport {

	@Autowired
	AuditLog audit;

	@Test
	void anAccountIsCreatedChangedAndDeletedWithoutAHashEverShown() throws Exception {
		HttpResponse<String> created = send("POST", "/api/users", ADMIN,
				toJson(Map.of("username", "Nora", "role", "viewer", "password", "nora-password-1")));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		assertThat(created.headers().firstValue("location"))
			.hasValueSatisfying((location) -> assertThat(location).endsWith("/api/users/nora"));
		assertThat(object(created)).containsEntry("username", "nora")
			.containsEntry("role", "viewer")
			.containsEntry("enabled", true)
			.containsKey("created-at")
			.doesNotContainKeys("password", "password-hash");
		assertThat(get("/api/sites", TestApplication.basic("nora:nora-password-1")).statusCode()).isEqualTo(200);
		HttpResponse<String> listed = get("/api/users", ADMIN);
		assertThat(array(listed)).anySatisfy((user) -> assertThat(user).containsEntry("username", "nora"));
		assertThat(listed.body()).doesNotContain("$2", "bcrypt");
		HttpResponse<String> changed = send("PUT", "/api/users/nora", ADMIN,
				toJson(Map.of("role", "admin", "password", "nora-password-2")));
		assertThat(changed.statusCode()).isEqualTo(200);
		assertThat(object(changed)).containsEntry("role", "admin").containsEntry("enabled", true);
		assertThat(get("/api/sites", TestApplication.basic("nora:nora-password-1")).statusCode()).isEqualTo(401);
		assertThat(get("/api/users", TestApplication.basic("nora:nora-password-2")).statusCode()).isEqualTo(200);
		assertThat(object(send("PUT", "/api/users/nora", ADMIN, toJson(Map.of("enabled", false)))))
			.containsEntry("enabled", false)
			.containsEntry("role", "admin");
		assertThat(get("/api/sites", TestApplication.basic("nora:nora-password-2")).statusCode()).isEqualTo(401);
		assertThat(send("DELETE", "/api/users/nora", ADMIN, null).statusCode()).isEqualTo(204);
		assertRefused(get("/api/users/nora", ADMIN), 404, "user 'nora': not found");
		assertThat(this.audit.recent(20)).anySatisfy((entry) -> {
			assertThat(entry.target()).isEqualTo("password of user nora");
			assertThat(entry.action()).isEqualTo("changed");
			assertThat(entry.after()).isNull();
		}).allSatisfy((entry) -> assertThat(String.valueOf(entry.after())).doesNotContain("$2"));
	}

	@Test
	void invalidAccountsAreRefusedNamingTheField() throws Exception {
		assertRefused(
				send("POST", "/api/users", ADMIN, toJson(Map.of("role", "viewer", "password", "long-password-1"))), 400,
				"username: missing");
		assertRefused(
				send("POST", "/api/users", ADMIN,
						toJson(Map.of("username", "bad name", "role", "viewer", "password", "long-password-1"))),
				400, "username: 'bad name'");
		assertRefused(
				send("POST", "/api/users", ADMIN,
						toJson(Map.of("username", "olga", "role", "owner", "password", "long-password-1"))),
				400, "role: 'owner' (expected: admin, operator or viewer)");
		assertRefused(
				send("POST", "/api/users", ADMIN,
						toJson(Map.of("username", "olga", "role", "viewer", "password", "short"))),
				400, "password: 5 characters");
		assertRefused(
				send("POST", "/api/users", ADMIN,
						toJson(Map.of("username", "olga", "role", "viewer", "password", "é".repeat(40)))),
				400, "password: ");
		assertThat(this.users.find("olga")).isEmpty();
		assertRefused(send("PUT", "/api/users/nobody", ADMIN, toJson(Map.of("role", "admin"))), 404,
				"user 'nobody': not found");
		assertRefused(send("DELETE", "/api/users/nobody", ADMIN, null), 404, "user 'nobody': not found");
		assertThat(send("POST", "/api/users", ADMIN,
				toJson(Map.of("username", "pia", "role", "viewer", "password", "pia-password-1")))
			.statusCode()).isEqualTo(201);
		assertRefused(send("PUT", "/api/users/pia", ADMIN, "{}"), 400, "body: empty");
		assertRefused(send("PUT", "/api/users/pia", ADMIN, toJson(Map.of("enabled", "sometimes"))), 400, "body: ");
	}

	@Test
	void takenNamesAndTheBuiltInNameAreConflicts() throws Exception {
		assertThat(send("POST", "/api/users", ADMIN,
				toJson(Map.of("username", "quinn", "role", "viewer", "password", "quinn-password-1")))
			.statusCode()).isEqualTo(201);
		assertRefused(
				send("POST", "/api/users", ADMIN,
						toJson(Map.of("username", "Quinn", "role", "admin", "password", "quinn-password-2"))),
				409, "username: an account named 'quinn' exists already");
		assertRefused(
				send("POST", "/api/users", ADMIN,
						toJson(Map.of("username", "admin", "role", "admin", "password", "admin-password-2"))),
				409, "username: 'admin' is the built-in account");
	}

}
