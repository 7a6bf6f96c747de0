package dev.capuchin.app.openidlogins;

import java.time.Clock;
import java.time.Duration;

import dev.capuchin.app.node.EdgeNodePart;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The back-channel logouts of OpenID providers, shared by every node through the store:
 * plugin-auth's {@code openid} mode takes this bean instead of its one-node memory. Edge
 * nodes serve {@code openid} locations too, so they have it.
 */
@Configuration(proxyBeanMethods = false)
@EdgeNodePart
class OpenIdRevocationsConfiguration {

	@Bean
	StoredOpenIdRevocations openIdRevocations(JdbcTemplate jdbc,
			@Value("${capuchin.store.poll-interval:5s}") Duration interval) {
		return new StoredOpenIdRevocations(jdbc, interval, Clock.systemUTC());
	}

}
