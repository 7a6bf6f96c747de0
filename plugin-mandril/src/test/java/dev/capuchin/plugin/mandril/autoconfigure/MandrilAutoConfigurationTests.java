package dev.capuchin.plugin.mandril.autoconfigure;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import dev.capuchin.core.spi.PluginDescription;
import dev.capuchin.core.spi.Stage;
import dev.capuchin.plugin.mandril.Cidr;
import dev.capuchin.plugin.mandril.MandrilPlugin;
import dev.capuchin.plugin.mandril.MandrilSettings;
import dev.capuchin.plugin.mandril.RateLimit;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;

import static org.assertj.core.api.Assertions.assertThat;

class MandrilAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MandrilAutoConfiguration.class));

	@TempDir
	Path temp;

	@Test
	void thePluginIsCreatedWhenEnabled() {
		this.runner.withPropertyValues("capuchin.plugins.mandril.enabled=true").run((context) -> {
			assertThat(context).hasSingleBean(MandrilPlugin.class);
			assertThat(context.getBean(MandrilPlugin.class).stages()).containsExactlyInAnyOrder(Stage.CONNECT,
					Stage.REQUEST);
		});
	}

	@Test
	void theProfileFileSwitchesThePluginOnWithNoRules() throws Exception {
		List<PropertySource<?>> profile = new YamlPropertySourceLoader().load("mandril",
				new FileSystemResource("../config/application-mandril.yml"));
		this.runner
			.withInitializer((context) -> profile.forEach(context.getEnvironment().getPropertySources()::addLast))
			.run((context) -> {
				MandrilSettings settings = context.getBean(MandrilPlugin.class).settings();
				assertThat(settings.global().isEmpty()).isTrue();
				assertThat(settings.maxConnectionsPerIp()).isZero();
				assertThat(settings.trustedProxies()).isEmpty();
				assertThat(settings.maxClients()).isEqualTo(MandrilSettings.DEFAULT_MAX_CLIENTS);
			});
	}

	@Test
	void thePluginBacksOffWhenDisabled() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(MandrilPlugin.class));
		this.runner.withPropertyValues("capuchin.plugins.mandril.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(MandrilPlugin.class));
	}

	@Test
	void thePluginBacksOffWhenItsModuleIsAbsent() {
		this.runner.withPropertyValues("capuchin.plugins.mandril.enabled=true")
			.withClassLoader(new FilteredClassLoader(MandrilPlugin.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(MandrilPlugin.class);
			});
	}

	@Test
	void theDescriptionIsAlwaysPresent() {
		this.runner.run((context) -> assertThat(context.getBean(PluginDescription.class))
			.isEqualTo(new PluginDescription("mandril", false, Set.of(Stage.CONNECT, Stage.REQUEST), "mandril")));
		this.runner
			.withPropertyValues("capuchin.plugins.mandril.enabled=true",
					"capuchin.plugins.mandril.max-connections-per-ip=8")
			.run((context) -> {
				PluginDescription description = context.getBean(PluginDescription.class);
				assertThat(description.enabled()).isTrue();
				assertThat(description.stageNames()).containsExactly("CONNECT", "REQUEST", "CLOSE");
			});
	}

	@Test
	void propertiesBindToTheSettings() {
		this.runner
			.withPropertyValues("capuchin.plugins.mandril.enabled=true", "capuchin.plugins.mandril.ip.allow=10.0.0.0/8",
					"capuchin.plugins.mandril.ip.deny[0]=10.0.0.2", "capuchin.plugins.mandril.ip.deny[1]=2001:db8::/32",
					"capuchin.plugins.mandril.listeners[0].address=127.0.0.1:2001",
					"capuchin.plugins.mandril.listeners[0].ip.deny=192.0.2.0/24",
					"capuchin.plugins.mandril.max-connections-per-ip=16",
					"capuchin.plugins.mandril.rate.requests-per-second=20", "capuchin.plugins.mandril.rate.burst=40",
					"capuchin.plugins.mandril.rate.max-clients=500",
					"capuchin.plugins.mandril.trusted-proxies=10.0.0.1,10.0.1.0/24")
			.run((context) -> {
				MandrilPlugin plugin = context.getBean(MandrilPlugin.class);
				MandrilSettings settings = plugin.settings();
				assertThat(settings.global().ip().allow()).containsExactly(Cidr.parse("10.0.0.0/8"));
				assertThat(settings.global().ip().deny()).containsExactly(Cidr.parse("10.0.0.2"),
						Cidr.parse("2001:db8::/32"));
				assertThat(settings.listeners()).hasSize(1);
				assertThat(settings.listeners().get(0).address())
					.isEqualTo(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 2001));
				assertThat(settings.listeners().get(0).ip().deny()).containsExactly(Cidr.parse("192.0.2.0/24"));
				assertThat(settings.maxConnectionsPerIp()).isEqualTo(16);
				assertThat(settings.global().rate()).isEqualTo(new RateLimit(20, 40));
				assertThat(settings.maxClients()).isEqualTo(500);
				assertThat(settings.trustedProxies()).containsExactly(Cidr.parse("10.0.0.1"),
						Cidr.parse("10.0.1.0/24"));
				assertThat(plugin.stages()).contains(Stage.CLOSE);
			});
	}

	@Test
	void aMonkeyConfigIsLoadedAtStart() throws Exception {
		Path conf = Files.writeString(this.temp.resolve("mandril.conf"),
				"[RULES]\n    IP 10.20.1.1/24\n    URL /private\n    deny_hotlink /images/\n");
		this.runner
			.withPropertyValues("capuchin.plugins.mandril.enabled=true", "capuchin.plugins.mandril.ip.deny=10.9.9.9",
					"capuchin.plugins.mandril.monkey-config=" + conf)
			.run((context) -> {
				MandrilSettings settings = context.getBean(MandrilPlugin.class).settings();
				assertThat(settings.global().ip().deny()).containsExactly(Cidr.parse("10.9.9.9"),
						Cidr.parse("10.20.1.0/24"));
				assertThat(settings.global().uriDeny()).hasSize(1);
				assertThat(settings.global().hotlinkDeny()).hasSize(1);
			});
	}

	@Test
	void anInvalidMonkeyConfigLineIsRefusedWithItsNumber() throws Exception {
		Path conf = Files.writeString(this.temp.resolve("mandril.conf"), "[RULES]\n    IP 10.0.0.1\n    PATH /x\n");
		assertRefused(
				"capuchin.plugins.mandril.monkey-config: " + conf
						+ " line 3: 'PATH /x' (expected: one of the keys IP, URL, deny_hotlink)",
				"capuchin.plugins.mandril.monkey-config=" + conf);
	}

	@Test
	void aMissingMonkeyConfigIsRefusedNamingTheKey() {
		Path missing = this.temp.resolve("missing.conf");
		assertRefusedStartingWith("capuchin.plugins.mandril.monkey-config: cannot read " + missing,
				"capuchin.plugins.mandril.monkey-config=" + missing);
	}

	@Test
	void aBadAddressIsRefusedNamingTheKey() {
		assertRefused("capuchin.plugins.mandril.ip.deny[1]: '10.0.0.300' is not an IP address or CIDR block",
				"capuchin.plugins.mandril.ip.deny=10.0.0.1,10.0.0.300");
		assertRefused("capuchin.plugins.mandril.trusted-proxies[0]: 'proxy.local' is not an IP address or CIDR block",
				"capuchin.plugins.mandril.trusted-proxies=proxy.local");
		assertRefused(
				"capuchin.plugins.mandril.listeners[0].ip.allow[0]: '10.0.0.0/40' has a prefix length out of range "
						+ "(expected: /0../32)",
				"capuchin.plugins.mandril.listeners[0].address=127.0.0.1:2001",
				"capuchin.plugins.mandril.listeners[0].ip.allow=10.0.0.0/40");
	}

	@Test
	void aListenerWithoutAddressIsRefusedNamingTheKey() {
		assertRefused("capuchin.plugins.mandril.listeners[0].address: missing (expected: host:port)",
				"capuchin.plugins.mandril.listeners[0].ip.deny=10.0.0.1");
	}

	@Test
	void badLimitsAreRefusedNamingTheKey() {
		assertRefusedStartingWith("capuchin.plugins.mandril.rate.requests-per-second: -1.0",
				"capuchin.plugins.mandril.rate.requests-per-second=-1");
		assertRefusedStartingWith("capuchin.plugins.mandril.rate.burst: -2",
				"capuchin.plugins.mandril.rate.requests-per-second=1", "capuchin.plugins.mandril.rate.burst=-2");
		assertRefusedStartingWith("capuchin.plugins.mandril.max-connections-per-ip: -1",
				"capuchin.plugins.mandril.max-connections-per-ip=-1");
		assertRefusedStartingWith("capuchin.plugins.mandril.rate.max-clients: 0",
				"capuchin.plugins.mandril.rate.max-clients=0");
	}

	@Test
	void countersAreMicrometerMeters() {
		this.runner.withPropertyValues("capuchin.plugins.mandril.enabled=true").run((context) -> {
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			context.getBean(MeterBinder.class).bindTo(registry);
			assertThat(registry.get("capuchin.mandril.connections.refused")
				.tag("reason", "address")
				.functionCounter()
				.count()).isZero();
			assertThat(registry.get("capuchin.mandril.connections.refused").tag("reason", "limit").functionCounter())
				.isNotNull();
			assertThat(registry.get("capuchin.mandril.requests.denied").functionCounter()).isNotNull();
			assertThat(registry.get("capuchin.mandril.requests.limited").functionCounter()).isNotNull();
		});
	}

	@Test
	void noMetersWithoutMicrometer() {
		this.runner.withPropertyValues("capuchin.plugins.mandril.enabled=true")
			.withClassLoader(new FilteredClassLoader(MeterBinder.class))
			.run((context) -> {
				assertThat(context).hasSingleBean(MandrilPlugin.class);
				assertThat(context).doesNotHaveBean(MandrilMetrics.class);
			});
	}

	private void assertRefused(String message, String... properties) {
		this.runner.withPropertyValues("capuchin.plugins.mandril.enabled=true")
			.withPropertyValues(properties)
			.run((context) -> assertThat(refusal(context.getStartupFailure())).hasMessage(message));
	}

	private void assertRefusedStartingWith(String message, String... properties) {
		this.runner.withPropertyValues("capuchin.plugins.mandril.enabled=true")
			.withPropertyValues(properties)
			.run((context) -> assertThat(refusal(context.getStartupFailure())).hasMessageStartingWith(message));
	}

	/** The outermost IllegalArgumentException: the plugin's refusal with its key. */
	private static Throwable refusal(Throwable failure) {
		assertThat(failure).as("the context failed").isNotNull();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof IllegalArgumentException) {
				return cause;
			}
		}
		throw new AssertionError("no IllegalArgumentException in", failure);
	}

}
