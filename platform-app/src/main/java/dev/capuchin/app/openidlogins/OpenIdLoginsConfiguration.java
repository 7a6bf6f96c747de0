package dev.capuchin.app.openidlogins;

import java.time.Clock;
import java.time.Duration;

import dev.capuchin.app.identity.IdentityProperties;
import dev.capuchin.app.identity.MasterKey;
import dev.capuchin.app.shared.config.ConfigService;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.function.SingletonSupplier;

/**
 * The OpenID logins' store (with the master key, read on first use: a node whose
 * locations name no login needs none), their changes, discovery and the
 * {@code openidLogins} health component.
 */
@Configuration(proxyBeanMethods = false)
class OpenIdLoginsConfiguration {

	/** How long fetching a discovery document or key set may take. */
	static final Duration DISCOVERY_TIMEOUT = Duration.ofSeconds(5);

	/** How long a provider's health is remembered. */
	static final Duration HEALTH_REMEMBERED = Duration.ofSeconds(30);

	@Bean
	OpenIdLoginStore openIdLoginStore(JdbcTemplate jdbc, IdentityProperties properties,
			@Value("${" + MasterKey.ENVIRONMENT_VARIABLE + ":}") String masterKey) {
		return new OpenIdLoginStore(jdbc,
				new OpenIdLoginKeys(SingletonSupplier.of(() -> MasterKey.load(masterKey, properties.masterKeyFile()))));
	}

	@Bean
	OpenIdDiscovery openIdDiscovery() {
		return new OpenIdDiscovery(DISCOVERY_TIMEOUT);
	}

	@Bean
	OpenIdLogins openIdLogins(ConfigService config, OpenIdLoginStore store, OpenIdDiscovery discovery) {
		return new OpenIdLogins(config, store.keys(), discovery);
	}

	@Bean
	OpenIdRegistrations openIdRegistrations(OpenIdLogins logins, OpenIdLoginStore store) {
		return new OpenIdRegistrations(logins, store.keys());
	}

	@Bean
	OpenIdTrial openIdTrial(OpenIdLogins logins) {
		return new OpenIdTrial(DISCOVERY_TIMEOUT, logins::clientKey);
	}

	@Bean
	OpenIdLoginHealth openidLoginsHealthContributor(ConfigService config, OpenIdDiscovery discovery) {
		return new OpenIdLoginHealth(() -> config.current().openidLogins(), discovery, HEALTH_REMEMBERED,
				Clock.systemUTC());
	}

}
