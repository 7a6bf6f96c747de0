package dev.capuchin.plugin.proxy.autoconfigure;

import java.time.Duration;

import dev.capuchin.plugin.proxy.ProxyOutcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The proxy's meters, read back from a registry.
 */
class ProxyMetricsTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final ProxyMetrics metrics = new ProxyMetrics();

	@Test
	void triesAreCountedPerServerAndOutcomeAndTimed() {
		this.metrics.bindTo(this.registry);
		this.metrics.onResponse("api", "http://127.0.0.1:9001", ProxyOutcome.SUCCESS, Duration.ofMillis(2));
		this.metrics.onResponse("api", "http://127.0.0.1:9001", ProxyOutcome.SUCCESS, Duration.ofMillis(4));
		this.metrics.onResponse("api", "http://127.0.0.1:9001", ProxyOutcome.TIMEOUT, Duration.ofMillis(6));
		this.metrics.onResponse("api", "http://127.0.0.1:9002", ProxyOutcome.SUCCESS, Duration.ofMillis(8));
		assertThat(count("http://127.0.0.1:9001", "success")).isEqualTo(2);
		assertThat(count("http://127.0.0.1:9001", "timeout")).isEqualTo(1);
		assertThat(count("http://127.0.0.1:9002", "success")).isEqualTo(1);
		assertThat(this.registry.get("capuchin.proxy.duration")
			.tags("upstream", "api", "server", "http://127.0.0.1:9001")
			.timer()
			.count()).isEqualTo(3);
	}

	@Test
	void triesBeforeTheRegistryBindsAreNotCounted() {
		this.metrics.onResponse("api", "http://127.0.0.1:9001", ProxyOutcome.SUCCESS, Duration.ofMillis(2));
		this.metrics.bindTo(this.registry);
		assertThat(this.registry.find("capuchin.proxy.requests").counters()).isEmpty();
	}

	private double count(String server, String outcome) {
		return this.registry.get("capuchin.proxy.requests")
			.tags("upstream", "api", "server", server, "outcome", outcome)
			.counter()
			.count();
	}

}
