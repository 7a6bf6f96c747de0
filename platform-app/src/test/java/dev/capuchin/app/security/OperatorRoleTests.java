package dev.capuchin.app.security;

import java.util.Map;

import dev.capuchin.app.TestApplication;
import dev.capuchin.app.shared.api.ApiTestSupport;
import dev.capuchin.app.users.ConsoleUser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator role on the API: sites, access rules, upstreams and realms change;
 * accounts, tokens, OAuth clients, signing keys, sign-in locks and whole documents do
 * not.
 */
class OperatorRoleTests extends ApiTestSupport {

	private static final String OPERATOR = TestApplication.basic("api-operator:operator-password-1");

	@BeforeEach
	void operator() {
		if (this.users.find("api-operator").isEmpty()) {
			account("api-operator", ConsoleUser.Role.OPERATOR, "operator-password-1");
		}
	}

	@Test
	void anOperatorChangesSitesRulesAndRealmsThroughTheApi() throws Exception {
		assertThat(send("POST", "/api/sites", OPERATOR,
				toJson(Map.of("name", "operated", "document-root", documentRoot("operated-root", "op").toString())))
			.statusCode()).isEqualTo(201);
		// let through the security line; what the rule or realm says is checked further
		// on
		assertThat(send("POST", "/api/access-rules", OPERATOR,
				toJson(Map.of("site", "operated", "kind", "uri-deny", "value", "/secret/")))
			.statusCode()).isNotIn(401, 403);
		assertThat(send("POST", "/api/realms", OPERATOR, toJson(Map.of("name", "Operated"))).statusCode()).isNotIn(401,
				403);
		assertThat(get("/api/sites", OPERATOR).statusCode()).isEqualTo(200);
	}

	@Test
	void anOperatorIsRefusedAccountsTokensIdentityAndLocksOnTheApi() throws Exception {
		assertThat(get("/api/users", OPERATOR).statusCode()).isEqualTo(403);
		assertThat(send("POST", "/api/users", OPERATOR,
				toJson(Map.of("username", "sneaky", "role", "admin", "password", "sneaky-password-1")))
			.statusCode()).isEqualTo(403);
		assertThat(send("POST", "/api/tokens", OPERATOR, toJson(Map.of("name", "t", "scope", "write"))).statusCode())
			.isEqualTo(403);
		assertThat(send("POST", "/api/oauth-clients", OPERATOR, toJson(Map.of("client-id", "c"))).statusCode())
			.isEqualTo(403);
		assertThat(send("POST", "/api/signing-keys/rotate", OPERATOR, null).statusCode()).isEqualTo(403);
		assertThat(send("DELETE", "/api/sign-in-locks/address/127.0.0.1", OPERATOR, null).statusCode()).isEqualTo(403);
		assertThat(send("PUT", "/api/config", OPERATOR, "sites: []").statusCode()).isEqualTo(403);
		assertThat(send("POST", "/api/openid-logins", OPERATOR, toJson(Map.of("name", "corp"))).statusCode())
			.isEqualTo(403);
		assertThat(this.users.find("sneaky")).isEmpty();
	}

	@Test
	void onlyThoseWhoMaySaveALoginMakeTheNodeFetchADiscoveryDocument() throws Exception {
		// the fetch requests a URL of the caller's choosing
		assertThat(get("/api/openid-logins/discovery?issuer=http://127.0.0.1:9", OPERATOR).statusCode()).isEqualTo(403);
		assertThat(get("/api/openid-logins", OPERATOR).statusCode()).isEqualTo(200);
	}

}
