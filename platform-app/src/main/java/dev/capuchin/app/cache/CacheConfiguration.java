package dev.capuchin.app.cache;

import dev.capuchin.app.audit.AuditLog;
import dev.capuchin.plugin.proxy.ProxyPlugin;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The cache zones' purges, over the proxy plugin when it runs, shared through the store.
 */
@Configuration(proxyBeanMethods = false)
class CacheConfiguration {

	@Bean
	CachePurges cachePurges(ObjectProvider<ProxyPlugin> plugin, AuditLog audit, StoredCachePurges stored) {
		return new CachePurges(plugin, audit, stored);
	}

}
