package dev.capuchin.app.status;

import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.capuchin.core.spi.ClientConnection;
import dev.capuchin.core.spi.Exchange;
import dev.capuchin.core.spi.LogEvent;
import dev.capuchin.core.spi.Site;
import dev.capuchin.core.spi.SiteTable;
import dev.capuchin.core.spi.Stage;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;
import reactor.netty.http.server.HttpServerRequest;

import static org.assertj.core.api.Assertions.assertThat;

class RequestCounterTests {

	private final Clock clock = Clock.fixed(Instant.parse("2026-05-01T10:00:00Z"), ZoneOffset.UTC);

	private final RequestCounter counter = new RequestCounter(this.clock);

	@Test
	void itRunsLastAtTheLogStage() {
		assertThat(this.counter.stages()).containsExactly(Stage.LOG);
		assertThat(this.counter.order()).isEqualTo(Integer.MAX_VALUE);
	}

	@Test
	void completedRequestsAreCountedPerSite() {
		for (int i = 0; i < 3; i++) {
			this.counter.onLog(event("shop", "GET", "/", Map.of(), 200));
		}
		this.counter.onLog(event("blog", "GET", "/", Map.of(), 404));
		assertThat(this.counter.counts()).containsEntry("shop", 3L).containsEntry("blog", 1L);
		assertThat(this.counter.recentErrors()).isEmpty();
	}

	@Test
	void answersAreCountedPerSiteByStatusClass() {
		for (int status : new int[] { 200, 204, 301, 404, 403, 503, 101 }) {
			this.counter.onLog(event("shop", "GET", "/", Map.of(), status));
		}
		assertThat(this.counter.classCounts().get("shop")).containsExactly(2, 1, 2, 1);
		assertThat(this.counter.counts()).containsEntry("shop", 7L);
	}

	@Test
	void refusalsAreKeptApartFromErrorsNewestFirst() {
		this.counter.onLog(event("shop", "GET", "/missing?x=1", Map.of(), 404));
		this.counter.onLog(event("shop", "GET", "/admin/", Map.of(), 401));
		this.counter.onLog(event("shop", "GET", "/secret", Map.of(), 403));
		this.counter.onLog(event("shop", "GET", "/bad", Map.of(), 400));
		assertThat(this.counter.recentRefusals())
			.extracting(RequestCounter.RecentError::path, RequestCounter.RecentError::status)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("/secret", 403),
					org.assertj.core.groups.Tuple.tuple("/admin/", 401),
					org.assertj.core.groups.Tuple.tuple("/missing", 404));
		assertThat(this.counter.recentErrors()).isEmpty();
	}

	@Test
	void answersOverTheKeptSamplesArePerSiteAndClassBusiestFirstWithASummary() {
		java.util.concurrent.atomic.AtomicLong millis = new java.util.concurrent.atomic.AtomicLong(0);
		Clock ticking = new Clock() {
			@Override
			public java.time.ZoneId getZone() {
				return ZoneOffset.UTC;
			}

			@Override
			public Clock withZone(java.time.ZoneId zone) {
				return this;
			}

			@Override
			public Instant instant() {
				return Instant.ofEpochMilli(millis.get());
			}
		};
		RequestRates rates = new RequestRates(this.counter, ticking);
		this.counter.onLog(event("blog", "GET", "/", Map.of(), 200));
		rates.sample();
		for (int i = 0; i < 3; i++) {
			this.counter.onLog(event("shop", "GET", "/", Map.of(), 200));
		}
		this.counter.onLog(event("shop", "GET", "/x", Map.of(), 500));
		this.counter.onLog(event("blog", "GET", "/x", Map.of(), 404));
		millis.set(120_000);
		rates.sample();
		RequestRates.Answers answers = rates.answers();
		assertThat(answers.sites()).containsExactly(new RequestRates.SiteAnswers("shop", 3, 0, 0, 1),
				new RequestRates.SiteAnswers("blog", 0, 0, 1, 0));
		assertThat(answers.summary()).isEqualTo(
				"In the last 2 minutes: 5 answers (3 2xx, 0 3xx, 1 4xx, 1 5xx); busiest site shop with 4; 1 site answered 5xx.");
		assertThat(rates.series().answers().get("shop")).containsEntry("2xx", java.util.List.of(3L))
			.containsEntry("5xx", java.util.List.of(1L));
	}

	@Test
	void directAnswersAreCountedWithTheExchangesOfTheirSite() {
		this.counter.onLog(event("shop", "GET", "/", Map.of(), 200));
		Site shop = site("shop");
		ClientConnection connection = (ClientConnection) Proxy.newProxyInstance(
				RequestCounterTests.class.getClassLoader(), new Class<?>[] { ClientConnection.class },
				(proxy, called, args) -> switch (called.getName()) {
					case "remoteAddress" -> new InetSocketAddress("127.0.0.1", 40000);
					default -> throw new UnsupportedOperationException(called.getName());
				});
		HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
		this.counter.onLog(LogEvent.direct(SiteTable.of(shop), shop, "/", connection, request, 200, 1024, 1000));
		this.counter.onLog(LogEvent.direct(SiteTable.of(shop), shop, "/", connection, request, 200, 0, 1000));
		assertThat(this.counter.counts()).containsEntry("shop", 3L);
		assertThat(this.counter.recentErrors()).isEmpty();
	}

	@Test
	void serverErrorsAreKeptWithTheirReasonAndWithoutTheQuery() {
		this.counter.onLog(event("shop", "BREW", "/pot?token=secret",
				Map.of(Exchange.ERROR_REASON, "method not implemented"), 501));
		assertThat(this.counter.recentErrors()).containsExactly(new RequestCounter.RecentError(
				Instant.parse("2026-05-01T10:00:00Z"), "shop", "BREW", "/pot", 501, "method not implemented"));
	}

	@Test
	void aPluginFailureIsKeptWhateverTheStatus() {
		this.counter.onLog(event("shop", "GET", "/x",
				Map.of(Exchange.ERROR_PLUGIN, "mandril", Exchange.ERROR_REASON, "boom"), 200));
		assertThat(this.counter.recentErrors()).singleElement()
			.satisfies((error) -> assertThat(error.reason()).isEqualTo("plugin mandril: boom"));
	}

	@Test
	void onlyTheLastFiftyErrorsAreKeptNewestFirst() {
		for (int i = 0; i < 60; i++) {
			this.counter.onLog(event("shop", "GET", "/" + i, Map.of(), 500));
		}
		List<RequestCounter.RecentError> errors = this.counter.recentErrors();
		assertThat(errors).hasSize(RequestCounter.RECENT_ERRORS);
		assertThat(errors.get(0).path()).isEqualTo("/59");
		assertThat(errors.get(49).path()).isEqualTo("/10");
	}

	@Test
	void ratesAreTheDifferenceOfSuccessiveCountsOverTime() {
		MutableClock time = new MutableClock();
		RequestRates rates = new RequestRates(this.counter, time);
		rates.sample();
		for (int i = 0; i < 10; i++) {
			this.counter.onLog(event("shop", "GET", "/", Map.of(), 200));
		}
		time.millis += 2000;
		rates.sample();
		time.millis += 2000;
		rates.sample();
		RequestRates.Series series = rates.series();
		assertThat(series.times()).hasSize(2);
		assertThat(series.sites().get("shop")).containsExactly(5.0, 0.0);
	}

	@Test
	void onlyTheLastSamplesAreKept() {
		MutableClock time = new MutableClock();
		RequestRates rates = new RequestRates(this.counter, time);
		for (int i = 0; i < RequestRates.HISTORY + 20; i++) {
			rates.sample();
			time.millis += 2000;
		}
		assertThat(rates.series().times()).hasSize(RequestRates.HISTORY);
	}

	private static Site site(String name) {
		return new Site(name, List.of(), false, null, Path.of("/"), List.of(), Map.of(), true, false, false, true, null,
				List.of(), Map.of());
	}

	private static LogEvent event(String siteName, String method, String uri, Map<String, Object> attributes,
			int status) {
		return LogEvent.of(exchange(siteName, method, uri, attributes), status, 1000);
	}

	private static Exchange exchange(String siteName, String method, String uri, Map<String, Object> attributes) {
		Site site = site(siteName);
		HttpServerRequest request = (HttpServerRequest) Proxy.newProxyInstance(
				RequestCounterTests.class.getClassLoader(), new Class<?>[] { HttpServerRequest.class },
				(proxy, called, args) -> switch (called.getName()) {
					case "method" -> HttpMethod.valueOf(method);
					case "uri" -> uri;
					case "version" -> HttpVersion.HTTP_1_1;
					case "requestHeaders" -> new DefaultHttpHeaders();
					default -> throw new UnsupportedOperationException(called.getName());
				});
		Map<String, Object> values = new HashMap<>(attributes);
		return (Exchange) Proxy.newProxyInstance(RequestCounterTests.class.getClassLoader(),
				new Class<?>[] { Exchange.class }, (proxy, called, args) -> switch (called.getName()) {
					case "site" -> site;
					case "request" -> request;
					case "attribute" -> values.get((String) args[0]);
					case "path" -> uri;
					case "connection" -> null;
					case "clientAddress" -> new InetSocketAddress("127.0.0.1", 40000);
					case "bytesSent" -> 0L;
					default -> throw new UnsupportedOperationException(called.getName());
				});
	}

	static final class MutableClock extends Clock {

		long millis = 1_000_000;

		@Override
		public java.time.ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return Instant.ofEpochMilli(this.millis);
		}

	}

}
