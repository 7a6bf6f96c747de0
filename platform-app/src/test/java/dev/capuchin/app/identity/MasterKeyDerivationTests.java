package dev.capuchin.app.identity;

import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link MasterKey#derive}: HKDF-SHA256 as RFC 5869 defines it, the same on every node
 * with the same master key.
 */
class MasterKeyDerivationTests {

	private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

	@Test
	void hkdfMatchesTheRfc5869VectorWithoutSalt() {
		// RFC 5869 A.3: IKM 22 x 0x0b, no salt, no info; the first 32 bytes of OKM
		byte[] ikm = new byte[22];
		java.util.Arrays.fill(ikm, (byte) 0x0b);
		assertThat(HexFormat.of().formatHex(MasterKey.hkdf(ikm, new byte[0])))
			.isEqualTo("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d");
	}

	@Test
	void twoNodesWithTheSameMasterKeyDeriveTheSameKey() {
		MasterKey a = MasterKey.load(KEY, Path.of("unused-a"));
		MasterKey b = MasterKey.load(KEY, Path.of("unused-b"));
		assertThat(a.derive("capuchin openid session corp")).hasSize(32)
			.isEqualTo(b.derive("capuchin openid session corp"))
			.isNotEqualTo(a.derive("capuchin openid session other"));
	}

}
