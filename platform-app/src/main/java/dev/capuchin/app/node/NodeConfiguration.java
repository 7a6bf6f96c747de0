package dev.capuchin.app.node;

import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.core.internal.server.CapuchinServer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What a node has whatever its role: the health probe when
 * {@code capuchin.node.health-port} is set.
 */
@Configuration(proxyBeanMethods = false)
@EdgeNodePart
class NodeConfiguration {

	@Bean
	@ConditionalOnProperty("capuchin.node.health-port")
	HealthProbe capuchinHealthProbe(@Value("${capuchin.node.health-port}") int port,
			@Value("${capuchin.node.health-address:127.0.0.1}") String address, ObjectProvider<CapuchinServer> server,
			ConfigService config) {
		// a node without a data plane (an admin node) is healthy while its context runs
		return new HealthProbe(address, port, () -> {
			CapuchinServer running = server.getIfAvailable();
			return running == null || running.isRunning();
		}, config::appliedVersion);
	}

}
