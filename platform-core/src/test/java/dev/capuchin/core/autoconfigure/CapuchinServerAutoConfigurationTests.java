package dev.capuchin.core.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import dev.capuchin.core.internal.fdt.FdtSettings;
import dev.capuchin.core.internal.server.CapuchinServer;
import dev.capuchin.core.internal.server.Http2Limits;
import dev.capuchin.core.internal.server.Limits;
import dev.capuchin.core.internal.server.ListenerSettings;
import dev.capuchin.core.internal.server.ServerSettings;
import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.spi.Plugin;
import dev.capuchin.core.spi.Stage;
import dev.capuchin.core.internal.worker.Balancing;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class CapuchinServerAutoConfigurationTests {

	@TempDir
	Path temp;

	private ApplicationContextRunner runner;

	@BeforeEach
	void sites() throws Exception {
		Path root = Files.createDirectories(this.temp.resolve("htdocs"));
		Path sites = Files.createDirectories(this.temp.resolve("sites"));
		Files.writeString(sites.resolve("default.yml"), "name: default\ndefault: true\ndocument-root: " + root + "\n");
		this.runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CapuchinServerAutoConfiguration.class))
			.withPropertyValues("capuchin.sites-dir=" + sites, "capuchin.server.listeners[0].address=127.0.0.1:0");
	}

	@Test
	void propertiesBindToTheKernelSettingsAndTheServerStarts() {
		this.runner
			.withPropertyValues("capuchin.server.workers=3", "capuchin.server.transport=nio",
					"capuchin.server.balancing=reuseport", "capuchin.server.limits.max-body-size=2MB",
					"capuchin.server.limits.keep-alive-timeout=3s", "capuchin.server.fdt.buckets=16",
					"capuchin.server.listeners[0].backlog=64")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				CapuchinServer server = context.getBean(CapuchinServer.class);
				assertThat(server.isRunning()).isTrue();
				assertThat(server.settings().workers()).isEqualTo(3);
				assertThat(server.settings().balancing()).isEqualTo(Balancing.REUSEPORT);
				assertThat(server.balancing()).as("NIO cannot share a port").isEqualTo(Balancing.LEAST_LOADED);
				assertThat(server.settings().limits().maxBodySize()).isEqualTo(2 * 1024 * 1024);
				assertThat(server.settings().limits().keepAliveTimeout()).hasSeconds(3);
				assertThat(server.settings().fdt().buckets()).isEqualTo(16);
				assertThat(server.settings().listeners().get(0).backlog()).isEqualTo(64);
				assertThat(server.transport().transport().configName()).isEqualTo("nio");
				assertThat(server.workers()).hasSize(3);
				assertThat(server.sites().sites()).extracting("name").containsExactly("default");
			});
	}

	@Test
	void theServerStopsWithTheContext() {
		CapuchinServer[] server = new CapuchinServer[1];
		this.runner.run((context) -> server[0] = context.getBean(CapuchinServer.class));
		assertThat(server[0].isRunning()).isFalse();
	}

	@Test
	void pluginBeansReachTheKernelInOrder() {
		this.runner.withUserConfiguration(PluginConfiguration.class).run((context) -> {
			assertThat(context.getBean(CapuchinServer.class).plugins()).extracting(Plugin::name)
				.containsExactly("early", "late");
		});
	}

	@Test
	void theKernelBacksOffWhenDisabled() {
		this.runner.withPropertyValues("capuchin.server.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(CapuchinServer.class));
	}

	@Test
	void aNegativeWorkerCountIsRefusedByName() {
		assertRefused("capuchin.server.workers=-1", "capuchin.server.workers: -1");
	}

	@Test
	void anUnknownTransportIsRefusedByName() {
		assertRefused("capuchin.server.transport=carrier-pigeon", "'capuchin.server.transport'", "carrier-pigeon");
	}

	@Test
	void anUnknownBalancingModeIsRefusedByName() {
		assertRefused("capuchin.server.balancing=random", "'capuchin.server.balancing'", "random");
	}

	@Test
	void transportBindsAsAnEnumInItsHyphenatedForm() {
		this.runner.withPropertyValues("capuchin.server.transport=io-uring")
			.run((context) -> assertThat(context.getBean(CapuchinServer.class).settings().transport())
				.isEqualTo(Transport.IO_URING.configName()));
	}

	@Test
	void transportAutoLeavesTheChoiceToTheKernel() {
		this.runner.withPropertyValues("capuchin.server.transport=auto")
			.run((context) -> assertThat(context.getBean(CapuchinServer.class).settings().transport())
				.isEqualTo(ServerSettings.DEFAULT_TRANSPORT));
	}

	@Test
	void absentTransportAndBalancingAreTheKernelDefaults() {
		this.runner.run((context) -> {
			ServerSettings settings = context.getBean(CapuchinServer.class).settings();
			assertThat(settings.transport()).isEqualTo(ServerSettings.DEFAULT_TRANSPORT);
			assertThat(settings.balancing()).isEqualTo(Balancing.DEFAULT);
		});
	}

	@Test
	void unsetPropertiesBindToTheKernelDefaults() {
		this.runner.run((context) -> {
			ServerSettings settings = context.getBean(CapuchinServer.class).settings();
			assertThat(settings.limits()).isEqualTo(Limits.DEFAULTS);
			assertThat(settings.fdt()).isEqualTo(FdtSettings.DEFAULTS);
			assertThat(settings.shutdownTimeout()).isEqualTo(ServerSettings.DEFAULT_SHUTDOWN_TIMEOUT);
			ListenerSettings listener = settings.listeners().get(0);
			assertThat(listener).isEqualTo(ListenerSettings.plain(listener.address()));
		});
	}

	@Test
	void everyServerKeyHasConfigurationMetadata() throws IOException {
		String metadata;
		try (InputStream in = CapuchinProperties.class.getClassLoader()
			.getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
			assertThat(in).as("the configuration processor ran").isNotNull();
			metadata = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		assertThat(metadata).contains("\"capuchin.server.workers\"", "\"capuchin.sites-dir\"",
				"\"capuchin.server.limits.max-header-count\"", "\"capuchin.server.fdt.valid\"",
				"\"capuchin.server.transport\"", "\"capuchin.server.balancing\"");
	}

	@Test
	void aMalformedListenerAddressIsRefusedByName() {
		assertRefused("capuchin.server.listeners[0].address=localhost", "capuchin.server.listeners[0].address");
	}

	@Test
	void aZeroLimitIsRefusedByName() {
		assertRefused("capuchin.server.limits.max-header-count=0", "capuchin.server.limits.max-header-count: 0");
	}

	@Test
	void http2LimitsBindToTheKernelSettings() {
		this.runner
			.withPropertyValues("capuchin.server.limits.http2.max-concurrent-streams=50",
					"capuchin.server.limits.http2.initial-window-size=1MB",
					"capuchin.server.limits.http2.max-resets-per-window=40",
					"capuchin.server.limits.http2.reset-window=10s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				Http2Limits http2 = context.getBean(CapuchinServer.class).settings().limits().http2();
				assertThat(http2.maxConcurrentStreams()).isEqualTo(50);
				assertThat(http2.initialWindowSize()).isEqualTo(1024 * 1024);
				assertThat(http2.maxFrameSize()).isEqualTo(Http2Limits.DEFAULT_MAX_FRAME_SIZE);
				assertThat(http2.maxResetsPerWindow()).isEqualTo(40);
				assertThat(http2.resetWindow()).hasSeconds(10);
			});
	}

	@Test
	void stageTimeoutAndBlockedLoopWarningBindToTheKernelSettings() {
		this.runner
			.withPropertyValues("capuchin.server.limits.stage-timeout=90s",
					"capuchin.server.limits.blocked-loop-warning=250ms")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				Limits limits = context.getBean(CapuchinServer.class).settings().limits();
				assertThat(limits.stageTimeout()).hasSeconds(90);
				assertThat(limits.blockedLoopWarning()).hasMillis(250);
			});
	}

	@Test
	void stageTimeoutAndBlockedLoopWarningDefaultToTheKernelDefaults() {
		this.runner.run((context) -> {
			Limits limits = context.getBean(CapuchinServer.class).settings().limits();
			assertThat(limits.stageTimeout()).isEqualTo(Limits.DEFAULT_STAGE_TIMEOUT);
			assertThat(limits.blockedLoopWarning()).isEqualTo(Limits.DEFAULT_BLOCKED_LOOP_WARNING);
		});
	}

	@Test
	void aZeroStageTimeoutIsRefusedByName() {
		assertRefused("capuchin.server.limits.stage-timeout=0s", "capuchin.server.limits.stage-timeout: PT0S");
	}

	@Test
	void aZeroBlockedLoopWarningIsRefusedByName() {
		assertRefused("capuchin.server.limits.blocked-loop-warning=0ms",
				"capuchin.server.limits.blocked-loop-warning: PT0S");
	}

	@Test
	void anHttp2FrameSizeBelowTheProtocolsMinimumIsRefusedByName() {
		assertRefused("capuchin.server.limits.http2.max-frame-size=1KB",
				"capuchin.server.limits.http2.max-frame-size: 1024");
	}

	@Test
	void aBadOpenFileTableIsRefusedByName() {
		assertRefused("capuchin.server.fdt.slots=0", "capuchin.server.fdt.slots: 0");
	}

	@Test
	void aMissingSitesDirectoryIsRefusedByName() {
		assertRefused("capuchin.sites-dir=" + this.temp.resolve("nowhere"), "capuchin.sites-dir");
	}

	@Test
	void aSiteWhoseRootVanishedDoesNotStopTheStart() throws IOException {
		Files.writeString(this.temp.resolve("sites/gone.yml"),
				"name: gone\nserver-names: [gone.test]\ndocument-root: " + this.temp.resolve("gone") + "\n");
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			CapuchinServer server = context.getBean(CapuchinServer.class);
			assertThat(server.isRunning()).isTrue();
			assertThat(server.sites().unavailable()).containsOnlyKeys("gone");
		});
	}

	@Test
	void aTakenPortIsRefusedWithTheListener() throws Exception {
		try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
				java.net.InetAddress.getByName("127.0.0.1"))) {
			assertRefused("capuchin.server.listeners[0].address=127.0.0.1:" + taken.getLocalPort(),
					"cannot bind /127.0.0.1:" + taken.getLocalPort());
		}
	}

	private void assertRefused(String property, String... messages) {
		this.runner.withPropertyValues(property).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(messages(context.getStartupFailure())).contains(messages);
		});
	}

	private static String messages(Throwable failure) {
		StringBuilder text = new StringBuilder();
		for (Throwable current = failure; current != null; current = current.getCause()) {
			text.append(current.getMessage()).append('\n');
			if (current.getCause() == current) {
				break;
			}
		}
		return text.toString();
	}

	@Configuration(proxyBeanMethods = false)
	static class PluginConfiguration {

		@Bean
		Plugin late() {
			return plugin("late", 20);
		}

		@Bean
		Plugin early() {
			return plugin("early", 10);
		}

		private static Plugin plugin(String name, int order) {
			return new Plugin() {
				@Override
				public String name() {
					return name;
				}

				@Override
				public int order() {
					return order;
				}

				@Override
				public Set<Stage> stages() {
					return Set.of(Stage.REQUEST);
				}
			};
		}

	}

}
