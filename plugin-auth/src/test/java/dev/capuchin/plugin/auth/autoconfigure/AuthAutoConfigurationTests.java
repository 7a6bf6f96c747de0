package dev.capuchin.plugin.auth.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import dev.capuchin.core.spi.PluginDescription;
import dev.capuchin.core.spi.Stage;
import dev.capuchin.plugin.auth.AuthPlugin;
import dev.capuchin.plugin.auth.MemoryOpenIdRevocations;
import dev.capuchin.plugin.auth.OpenIdRevocations;
import dev.capuchin.plugin.auth.AuthSettings;
import dev.capuchin.plugin.auth.BearerSettings;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;

import static org.assertj.core.api.Assertions.assertThat;

class AuthAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AuthAutoConfiguration.class));

	@Test
	void thePluginIsCreatedWhenEnabled() {
		this.runner.withPropertyValues("capuchin.plugins.auth.enabled=true").run((context) -> {
			assertThat(context).hasSingleBean(AuthPlugin.class);
			AuthPlugin plugin = context.getBean(AuthPlugin.class);
			assertThat(plugin.stages()).containsExactly(Stage.REQUEST);
			assertThat(plugin.modes()).containsOnlyKeys("basic", "bearer", "openid");
			assertThat(plugin.settings()).isEqualTo(AuthSettings.defaults());
			assertThat(plugin.bearerSettings()).isEqualTo(BearerSettings.defaults());
		});
	}

	@Test
	void backChannelLogoutsStayInMemoryUnlessAnotherStoreIsGiven() {
		this.runner.withPropertyValues("capuchin.plugins.auth.enabled=true")
			.run((context) -> assertThat(context.getBean(AuthPlugin.class).openIdRevocations())
				.isInstanceOf(MemoryOpenIdRevocations.class));
		MemoryOpenIdRevocations shared = new MemoryOpenIdRevocations();
		this.runner.withPropertyValues("capuchin.plugins.auth.enabled=true")
			.withBean(OpenIdRevocations.class, () -> shared)
			.run((context) -> assertThat(context.getBean(AuthPlugin.class).openIdRevocations()).isSameAs(shared));
	}

	@Test
	void bearerKeysAndIssuerClientsAreBound() {
		this.runner
			.withPropertyValues("capuchin.plugins.auth.enabled=true",
					"capuchin.plugins.auth.bearer.jwks-refresh-floor=30s",
					"capuchin.plugins.auth.bearer.token-cache-ttl=0s",
					"capuchin.plugins.auth.bearer.issuers[0].issuer=https://id.example.com",
					"capuchin.plugins.auth.bearer.issuers[0].client-id=api",
					"capuchin.plugins.auth.bearer.issuers[0].client-secret=s3cret")
			.run((context) -> {
				BearerSettings bearer = context.getBean(AuthPlugin.class).bearerSettings();
				assertThat(bearer.jwksRefreshFloor()).isEqualTo(Duration.ofSeconds(30));
				assertThat(bearer.tokenCacheTtl()).isZero();
				assertThat(bearer.clientFor("https://id.example.com"))
					.isEqualTo(new BearerSettings.IssuerClient("https://id.example.com", "api", "s3cret"));
				assertThat(bearer.issuerClients().toString()).doesNotContain("s3cret");
			});
	}

	@Test
	void anInvalidBearerKeyFailsNamingIt() {
		this.runner.withPropertyValues("capuchin.plugins.auth.enabled=true", "capuchin.plugins.auth.bearer.timeout=0s")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessage("capuchin.plugins.auth.bearer.timeout: PT0S (expected: > 0)"));
	}

	@Test
	void thePluginBacksOffWhenDisabled() {
		this.runner.withPropertyValues("capuchin.plugins.auth.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(AuthPlugin.class));
	}

	@Test
	void thePluginIsOffUnlessEnabled() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(AuthPlugin.class));
	}

	@Test
	void thePluginBacksOffWhenItsModuleIsAbsent() {
		this.runner.withClassLoader(new FilteredClassLoader(AuthPlugin.class))
			.withPropertyValues("capuchin.plugins.auth.enabled=true")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(AuthPlugin.class);
				assertThat(context).hasSingleBean(PluginDescription.class);
			});
	}

	@Test
	void theDescriptionIsPresentAndOffWhenDisabled() {
		this.runner.run((context) -> assertThat(context.getBean(PluginDescription.class))
			.isEqualTo(new PluginDescription("auth", false, Set.of(Stage.REQUEST), "auth")));
	}

	@Test
	void theDescriptionSaysEnabledWhenEnabled() {
		this.runner.withPropertyValues("capuchin.plugins.auth.enabled=true")
			.run((context) -> assertThat(context.getBean(PluginDescription.class).enabled()).isTrue());
	}

	@Test
	void aPluginBeanOfTheApplicationWins() {
		AuthPlugin own = new AuthPlugin(AuthSettings.defaults().withCacheTtl(Duration.ZERO));
		this.runner.withPropertyValues("capuchin.plugins.auth.enabled=true")
			.withBean(AuthPlugin.class, () -> own)
			.run((context) -> assertThat(context.getBean(AuthPlugin.class)).isSameAs(own));
	}

	@Test
	void theGlobalPropertiesAreBound() {
		this.runner
			.withPropertyValues("capuchin.plugins.auth.enabled=true", "capuchin.plugins.auth.cache-ttl=5s",
					"capuchin.plugins.auth.cache-size=50", "capuchin.plugins.auth.max-failures=4",
					"capuchin.plugins.auth.failure-window=30s", "capuchin.plugins.auth.hash-threads=3")
			.run((context) -> assertThat(context.getBean(AuthPlugin.class).settings())
				.isEqualTo(new AuthSettings(Duration.ofSeconds(5), 50, 4, Duration.ofSeconds(30), 3)));
	}

	@Test
	void anInvalidValueStopsTheStartNamingItsKey() {
		this.runner.withPropertyValues("capuchin.plugins.auth.enabled=true", "capuchin.plugins.auth.hash-threads=0")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessage("capuchin.plugins.auth.hash-threads: 0 (expected: 1..1024)"));
	}

	@Test
	void theProfileFileSwitchesThePluginOnWithTheDefaults() throws Exception {
		List<PropertySource<?>> profile = new YamlPropertySourceLoader().load("auth",
				new FileSystemResource("../config/application-auth.yml"));
		this.runner
			.withInitializer((context) -> profile.forEach(context.getEnvironment().getPropertySources()::addLast))
			.run((context) -> {
				assertThat(context.getBean(AuthPlugin.class).settings()).isEqualTo(AuthSettings.defaults());
				assertThat(context.getBean(PluginDescription.class).enabled()).isTrue();
			});
	}

}
