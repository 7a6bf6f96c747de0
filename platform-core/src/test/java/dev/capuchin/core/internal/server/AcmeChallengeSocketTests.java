package dev.capuchin.core.internal.server;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.spi.CertificateProvider;
import dev.capuchin.core.spi.Exchange;
import dev.capuchin.core.spi.Plugin;
import dev.capuchin.core.spi.RequestResult;
import dev.capuchin.core.spi.Stage;
import dev.capuchin.core.spi.TlsCertificate;
import dev.capuchin.core.testing.EveryTransport;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plain-HTTP listeners answer ACME HTTP-01 challenges from the
 * {@link CertificateProvider} before any plugin, redirect to HTTPS or unavailable-site
 * answer.
 */
@EveryTransport
class AcmeChallengeSocketTests {

	@TempDir
	Path temp;

	@Parameter
	Transport transport;

	private final Challenges challenges = new Challenges();

	@Test
	void aKnownTokenIsAnsweredBeforeAnyPluginOrRedirect() throws Exception {
		try (KernelFixture kernel = start(); RawHttp http = kernel.connect()) {
			RawHttp.Response response = http
				.exchange(RawHttp.get("/.well-known/acme-challenge/known-token", "shop.example.com"));
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.text()).isEqualTo("known-token.thumbprint");
			assertThat(response.header("Content-Type")).isEqualTo("application/octet-stream");
		}
	}

	@Test
	void anUnknownTokenIs404() throws Exception {
		try (KernelFixture kernel = start(); RawHttp http = kernel.connect()) {
			assertThat(
					http.exchange(RawHttp.get("/.well-known/acme-challenge/other-token", "shop.example.com")).status())
				.isEqualTo(404);
		}
	}

	@Test
	void aTokenOutsideBase64urlIs404WithoutAskingTheProvider() throws Exception {
		try (KernelFixture kernel = start(); RawHttp http = kernel.connect()) {
			assertThat(http.exchange(RawHttp.get("/.well-known/acme-challenge/a.b", "shop.example.com")).status())
				.isEqualTo(404);
			assertThat(this.challenges.asked).isEmpty();
		}
	}

	@Test
	void otherPathsOfTheSiteAreStillRedirected() throws Exception {
		try (KernelFixture kernel = start(); RawHttp http = kernel.connect()) {
			assertThat(http.exchange(RawHttp.get("/", "shop.example.com")).status()).isEqualTo(301);
		}
	}

	private KernelFixture start() throws Exception {
		return KernelFixture.builder(this.temp)
			.transport(this.transport)
			.defaultSite(Map.of("server-names", List.of("shop.example.com"), "redirect-https", true, "tls",
					Map.of("acme", true)))
			.plugin(this.challenges)
			.plugin(new Forbidding())
			.start();
	}

	/** Knows one token. */
	private static final class Challenges implements Plugin, CertificateProvider {

		final List<String> asked = new CopyOnWriteArrayList<>();

		@Override
		public String name() {
			return "challenges";
		}

		@Override
		public Set<Stage> stages() {
			return Set.of();
		}

		@Override
		public @Nullable TlsCertificate certificate(String name) {
			return null;
		}

		@Override
		public Mono<String> challengeAnswer(String token) {
			this.asked.add(token);
			return token.equals("known-token") ? Mono.just(token + ".thumbprint") : Mono.empty();
		}

	}

	/** Answers 403 to every request it sees. */
	private static final class Forbidding implements Plugin {

		@Override
		public String name() {
			return "forbidding";
		}

		@Override
		public Set<Stage> stages() {
			return Set.of(Stage.REQUEST);
		}

		@Override
		public Mono<RequestResult> onRequest(Exchange exchange) {
			return exchange.response().status(403).send().thenReturn(RequestResult.DONE);
		}

	}

}
