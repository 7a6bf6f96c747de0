package dev.capuchin.plugin.auth.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import com.nimbusds.jwt.JWTClaimsSet;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SealedCookiesTests {

	private static final byte[] KEY = new byte[32];

	private static final Instant NOW = Instant.parse("2026-12-07T08:00:00Z");

	private static JWTClaimsSet claims(String use, Instant exp) {
		return new JWTClaimsSet.Builder().claim("use", use).subject("alice").expirationTime(Date.from(exp)).build();
	}

	@Test
	void aSealedCookieOpensWithItsKeyAndNamesItsLogin() throws Exception {
		String sealed = SealedCookies.seal("corp", KEY, claims(SealedCookies.SESSION, NOW.plusSeconds(60)));
		assertThat(sealed.split("\\.", -1)).hasSize(5);
		assertThat(SealedCookies.login(sealed)).isEqualTo("corp");
		assertThat(SealedCookies.open(sealed, KEY, SealedCookies.SESSION, NOW).getSubject()).isEqualTo("alice");
	}

	@Test
	void anotherKeyAnotherUseOrExpiryIsNotOpened() {
		String sealed = SealedCookies.seal("corp", KEY, claims(SealedCookies.SESSION, NOW.plusSeconds(60)));
		byte[] other = new byte[32];
		other[0] = 1;
		assertThat(SealedCookies.open(sealed, other, SealedCookies.SESSION, NOW)).isNull();
		assertThat(SealedCookies.open(sealed, KEY, SealedCookies.PENDING, NOW)).isNull();
		assertThat(SealedCookies.open(sealed, KEY, SealedCookies.SESSION, NOW.plusSeconds(60))).isNull();
	}

	@Test
	void aChangedCookieIsNotOpened() {
		String sealed = SealedCookies.seal("corp", KEY, claims(SealedCookies.SESSION, NOW.plusSeconds(60)));
		int at = sealed.lastIndexOf('.') - 3;
		String changed = sealed.substring(0, at) + ((sealed.charAt(at) == 'A') ? 'B' : 'A') + sealed.substring(at + 1);
		assertThat(SealedCookies.open(changed, KEY, SealedCookies.SESSION, NOW)).isNull();
		assertThat(SealedCookies.open("not a cookie", KEY, SealedCookies.SESSION, NOW)).isNull();
	}

	@Test
	void theSetCookieIsHttpOnlyLaxAndSecureOverTls() {
		assertThat(
				SealedCookies.setCookie("capuchin-openid-corp", "v", "/", Duration.ofHours(1), true))
			.isEqualTo("capuchin-openid-corp=v; Max-Age=3600; Expires="
					+ SealedCookies.setCookie("capuchin-openid-corp", "v", "/", Duration.ofHours(1), true)
						.replaceAll(".*Expires=([^;]*);.*", "$1")
					+ "; Path=/; Secure; HTTPOnly; SameSite=Lax");
		assertThat(SealedCookies.setCookie("n", null, "/", Duration.ofHours(1), false)).startsWith("n=; Max-Age=0")
			.doesNotContain("Secure");
	}

}
