package dev.capuchin.app.identity;

import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;

import dev.capuchin.app.audit.AuditLog;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Signing keys page over a real console session: the keys with their ids, algorithm,
 * age and state, and a rotation that the JWK set shows.
 */
class ConsoleSigningKeysTests extends IdentityConsoleTestSupport {

	@Autowired
	AuditLog audit;

	@Test
	void thePageListsTheKeysAndARotationMakesANewSigningKeyWhileThePreviousStaysPublished() throws Exception {
		HttpClient admin = admin();
		String before = page(admin, "/console/signing-keys").body();
		assertThat(before).contains("id=\"signing-keys\"", "RS256", "data-state=\"active\"", ">signing</span>",
				"id=\"rotate-key\"");
		String active = activeKid();
		assertThat(before).contains("data-kid=\"" + active + "\"");

		assertThat(submit(admin, "/console/signing-keys", "/console/signing-keys/rotate", "").statusCode())
			.isEqualTo(302);
		String after = page(admin, "/console/signing-keys").body();
		String rotated = activeKid();
		assertThat(rotated).isNotEqualTo(active);
		assertThat(after).contains("Key " + rotated + " signs from now on", "data-kid=\"" + rotated + "\"",
				"data-kid=\"" + active + "\"", "data-state=\"retiring\"", ">published</span>");
		assertThat(get("/oauth2/jwks", null).body()).contains(active, rotated);
		assertThat(this.audit.recent(50)).anySatisfy((entry) -> {
			assertThat(entry.action()).isEqualTo("rotated");
			assertThat(entry.target()).isEqualTo("signing-key " + rotated);
		});
	}

	@SuppressWarnings("unchecked")
	private String activeKid() throws Exception {
		List<Map<String, Object>> keys = array(get("/api/signing-keys", ADMIN));
		return (String) keys.stream()
			.filter((key) -> "active".equals(key.get("state")))
			.findFirst()
			.orElseThrow()
			.get("kid");
	}

}
