package dev.capuchin.app.cache;

import java.time.Clock;
import java.time.Duration;

import dev.capuchin.app.node.EdgeNodePart;
import dev.capuchin.app.shared.config.StoreChannel;
import dev.capuchin.app.shared.config.StoreNotifications;
import dev.capuchin.plugin.proxy.ProxyPlugin;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The cache purges kept in the store and applied by every node: edge nodes run the proxy
 * cache too, so they have it.
 */
@Configuration(proxyBeanMethods = false)
@EdgeNodePart
class CachePurgeStoreConfiguration {

	@Bean
	StoredCachePurges storedCachePurges(JdbcTemplate jdbc, StoreNotifications notifications,
			ObjectProvider<ProxyPlugin> plugin, @Value("${capuchin.store.poll-interval:5s}") Duration interval) {
		return new StoredCachePurges(jdbc, notifications, (zone, matches) -> {
			ProxyPlugin proxy = plugin.getIfAvailable();
			return (proxy != null) ? proxy.purge(zone, matches) : -1;
		}, interval, Clock.systemUTC());
	}

	@Bean
	StoreChannel cachePurgeChannel(StoredCachePurges purges) {
		return purges.channel();
	}

}
