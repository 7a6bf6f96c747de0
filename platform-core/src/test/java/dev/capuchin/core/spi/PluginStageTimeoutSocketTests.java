package dev.capuchin.core.spi;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.testing.EveryTransport;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A REQUEST or HANDLE plugin whose result never comes, over a real socket on every
 * transport: the stage time limit answers 504, cancels the plugin and names it in the
 * log, and the connection and the worker serve on.
 */
@EveryTransport
@ExtendWith(OutputCaptureExtension.class)
class PluginStageTimeoutSocketTests {

	private static final Duration STAGE_TIMEOUT = Duration.ofMillis(400);

	@TempDir
	Path temp;

	@Parameter
	Transport transport;

	@Test
	void aRequestPluginThatNeverAnswersCostsA504AndTheConnectionServesOn(CapturedOutput output) throws Exception {
		CountDownLatch cancelled = new CountDownLatch(1);
		Plugin hanging = new TestPlugin("hanging", Set.of(Stage.REQUEST)) {
			@Override
			public Mono<RequestResult> onRequest(Exchange exchange) {
				if (exchange.path().equals("/hang")) {
					return Mono.<RequestResult>never().doOnCancel(cancelled::countDown);
				}
				return CONTINUE;
			}
		};
		try (KernelFixture kernel = fixture().workers(1).plugin(hanging).start(); RawHttp client = kernel.connect()) {
			assertThat(client.exchange(RawHttp.get("/hang", "localhost")).status()).isEqualTo(504);
			assertThat(cancelled.await(5, TimeUnit.SECONDS)).isTrue();
			RawHttp.Response next = client.exchange(RawHttp.get("/a.txt", "localhost"));
			assertThat(next.status()).isEqualTo(200);
			assertThat(next.text()).isEqualTo("static");
		}
		assertThat(output.getOut() + output.getErr())
			.contains("plugin hanging gave no result at REQUEST within 400 ms; answered 504");
	}

	@Test
	void aHandlePluginThatNeverAnswersGetsTheSitesErrorPageFor504(CapturedOutput output) throws Exception {
		Plugin hanging = new TestPlugin("stuck-backend", Set.of(Stage.HANDLE)) {
			@Override
			public Mono<HandleResult> handle(Exchange exchange) {
				return Mono.never();
			}
		};
		try (KernelFixture kernel = fixture().defaultSite(Map.of("error-pages", Map.of("504", "/504.html")))
			.file("504.html", "backend too slow")
			.plugin(hanging)
			.start()) {
			RawHttp.Response response = kernel.get("/a.txt");
			assertThat(response.status()).isEqualTo(504);
			assertThat(response.text()).isEqualTo("backend too slow");
		}
		assertThat(output.getOut() + output.getErr())
			.contains("plugin stuck-backend gave no result at HANDLE within 400 ms; answered 504");
	}

	@Test
	void aHandlePluginThatStartedItsResponseIsNotCutByTheStageTimeout() throws Exception {
		Plugin streaming = new TestPlugin("streaming", Set.of(Stage.HANDLE)) {
			@Override
			public Mono<HandleResult> handle(Exchange exchange) {
				// the first chunk goes out at once, with the headers; the rest comes
				// after the stage time limit
				return exchange.response()
					.header("Content-Type", "text/plain")
					.sendString(Flux.concat(Mono.just("late "),
							Mono.delay(STAGE_TIMEOUT.multipliedBy(3)).thenReturn("but whole")))
					.then()
					.thenReturn(HandleResult.DONE);
			}
		};
		try (KernelFixture kernel = fixture().plugin(streaming).start()) {
			RawHttp.Response response = kernel.get("/a.txt");
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.text()).isEqualTo("late but whole");
		}
	}

	@Test
	void aSlowPluginWithinTheStageTimeoutIsNotCut() throws Exception {
		Plugin slow = new TestPlugin("slow", Set.of(Stage.REQUEST)) {
			@Override
			public Mono<RequestResult> onRequest(Exchange exchange) {
				return Mono.delay(STAGE_TIMEOUT.dividedBy(4)).thenReturn(RequestResult.CONTINUE);
			}
		};
		try (KernelFixture kernel = fixture().plugin(slow).start()) {
			assertThat(kernel.get("/a.txt").text()).isEqualTo("static");
		}
	}

	private KernelFixture.Builder fixture() throws Exception {
		return KernelFixture.builder(this.temp)
			.transport(this.transport)
			.settings((settings) -> settings.withLimits(settings.limits().withStageTimeout(STAGE_TIMEOUT)))
			.file("a.txt", "static");
	}

	private abstract static class TestPlugin implements Plugin {

		private final String name;

		private final Set<Stage> stages;

		TestPlugin(String name, Set<Stage> stages) {
			this.name = name;
			this.stages = stages;
		}

		@Override
		public String name() {
			return this.name;
		}

		@Override
		public Set<Stage> stages() {
			return this.stages;
		}

	}

}
