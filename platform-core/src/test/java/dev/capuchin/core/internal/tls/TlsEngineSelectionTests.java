package dev.capuchin.core.internal.tls;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TlsEngineSelectionTests {

	@Test
	void autoTakesOpensslWhereItLoads() {
		TlsEngineSelection selection = TlsEngineSelection.select("auto");
		assertThat(selection.engine()).isEqualTo(OpenSslHere.engine());
		assertThat(selection.fallbackReason() == null).isEqualTo(TlsEngine.OPENSSL.isAvailable());
	}

	@Test
	void jdkIsTakenWhenAskedFor() {
		TlsEngineSelection selection = TlsEngineSelection.select("JDK");
		assertThat(selection.engine()).isEqualTo(TlsEngine.JDK);
		assertThat(selection.fallbackReason()).isNull();
	}

	@Test
	void unknownEngineIsRefusedNamingTheKey() {
		assertThatIllegalArgumentException().isThrownBy(() -> TlsEngineSelection.select("gnutls"))
			.withMessage("capuchin.server.tls.engine: 'gnutls' (expected: auto, openssl or jdk)");
	}

	@Test
	void wantedNamesTheEngineAskedFor() {
		assertThat(TlsEngineSelection.wanted("auto")).isEqualTo(TlsEngine.OPENSSL);
		assertThat(TlsEngineSelection.wanted(" OpenSSL ")).isEqualTo(TlsEngine.OPENSSL);
		assertThat(TlsEngineSelection.wanted("jdk")).isEqualTo(TlsEngine.JDK);
		assertThat(TlsEngineSelection.wanted(null)).isEqualTo(TlsEngine.OPENSSL);
	}

	@Test
	void wantedRefusesAnUnknownEngineNamingTheKey() {
		assertThatIllegalArgumentException().isThrownBy(() -> TlsEngineSelection.wanted("gnutls"))
			.withMessage("capuchin.server.tls.engine: 'gnutls' (expected: auto, openssl or jdk)");
	}

	@Test
	void opensslLoadsOnThisBuildsPlatforms() {
		// the build ships BoringSSL for Linux x86-64 and aarch64: a failure to load there
		// is a packaging defect, not a reason to fall back quietly
		String arch = System.getProperty("os.arch");
		boolean shipped = System.getProperty("os.name").startsWith("Linux")
				&& (arch.equals("amd64") || arch.equals("aarch64"));
		if (shipped) {
			assertThat(TlsEngine.OPENSSL.isAvailable()).as(() -> String.valueOf(OpenSslHere.cause())).isTrue();
		}
	}

	private static final class OpenSslHere {

		static TlsEngine engine() {
			return TlsEngine.OPENSSL.isAvailable() ? TlsEngine.OPENSSL : TlsEngine.JDK;
		}

		static Throwable cause() {
			return TlsEngine.OPENSSL.unavailabilityCause().orElse(null);
		}

	}

}
