package dev.capuchin.app.upstreams;

import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.plugin.proxy.Upstream;
import dev.capuchin.app.sites.UpstreamNames;
import dev.capuchin.plugin.proxy.ProxyPlugin;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The upstreams' changes, their live state from the proxy plugin (when it runs), and the
 * {@code upstreams} health component.
 */
@Configuration(proxyBeanMethods = false)
class UpstreamsConfiguration {

	@Bean
	UpstreamChanges upstreamChanges(ConfigService config) {
		return new UpstreamChanges(config);
	}

	@Bean
	UpstreamNames upstreamNames(ConfigService config) {
		return () -> config.current().upstreams().stream().map(Upstream::name).toList();
	}

	@Bean
	LiveUpstreams liveUpstreams(ObjectProvider<ProxyPlugin> plugin) {
		return new LiveUpstreams(plugin);
	}

	@Bean
	UpstreamHealth upstreamsHealthContributor(ConfigService config, LiveUpstreams live) {
		return new UpstreamHealth(() -> config.current().upstreams(), live);
	}

}
