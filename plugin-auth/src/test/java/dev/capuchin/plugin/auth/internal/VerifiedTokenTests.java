package dev.capuchin.plugin.auth.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class VerifiedTokenTests {

	@Test
	void scopesAreReadFromAScopeStringAndAnScpList() {
		VerifiedToken token = new VerifiedToken(Map.of("scope", "read  write", "scp", List.of("admin")), null);
		assertThat(token.scopes()).containsExactly("read", "write", "admin");
	}

	@Test
	void anScpStringIsSplitLikeScope() {
		assertThat(new VerifiedToken(Map.of("scp", "a b"), null).scopes()).containsExactly("a", "b");
	}

	@Test
	void theAudienceIsAStringOrAList() {
		assertThat(new VerifiedToken(Map.of("aud", "api"), null).audiences()).containsExactly("api");
		assertThat(new VerifiedToken(Map.of("aud", List.of("api", "web")), null).audiences()).containsExactly("api",
				"web");
		assertThat(new VerifiedToken(Map.of(), null).audiences()).isEmpty();
	}

	@Test
	void claimsAreWrittenAsTextListsJoinedWithCommas() {
		VerifiedToken token = new VerifiedToken(Map.of("groups", List.of("staff", "ops"), "age", 42, "ok", true, "iat",
				Instant.ofEpochSecond(1000), "address", Map.of("city", "x")), null);
		assertThat(token.text("groups")).isEqualTo("staff,ops");
		assertThat(token.text("age")).isEqualTo("42");
		assertThat(token.text("ok")).isEqualTo("true");
		assertThat(token.text("iat")).isEqualTo("1000");
		assertThat(token.text("address")).isNull();
		assertThat(token.text("missing")).isNull();
	}

	@Test
	void aClaimWithControlCharactersIsNotHandedOn() {
		assertThat(new VerifiedToken(Map.of("name", "Eve\r\nX-Admin: 1"), null).text("name")).isNull();
	}

	@Test
	void anIntrospectionAnswerExpiresAtItsExpInSeconds() {
		VerifiedToken token = VerifiedToken.ofIntrospection(Map.of("active", true, "exp", 2000L));
		assertThat(token.expiresAt()).isEqualTo(Instant.ofEpochSecond(2000));
		assertThat(token.expired(Instant.ofEpochSecond(2059), 60)).isFalse();
		assertThat(token.expired(Instant.ofEpochSecond(2061), 60)).isTrue();
	}

}
