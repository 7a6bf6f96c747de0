package dev.capuchin.app.openidlogins;

import java.time.Clock;
import java.time.Duration;

import dev.capuchin.app.node.EdgeNodePart;
import dev.capuchin.app.shared.config.StoreChannel;
import dev.capuchin.app.shared.config.StoreNotifications;

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
	StoredOpenIdRevocations openIdRevocations(JdbcTemplate jdbc, StoreNotifications notifications,
			@Value("${capuchin.store.poll-interval:5s}") Duration interval) {
		return new StoredOpenIdRevocations(jdbc, notifications, interval, Clock.systemUTC());
	}

	@Bean
	StoreChannel openIdLogoutChannel(StoredOpenIdRevocations revocations) {
		return revocations.channel();
	}

}
