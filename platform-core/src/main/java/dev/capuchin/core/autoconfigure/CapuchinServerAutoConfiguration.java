package dev.capuchin.core.autoconfigure;

import java.nio.file.Path;
import java.util.List;

import dev.capuchin.core.internal.server.CapuchinServer;
import dev.capuchin.core.internal.server.NodeIds;
import dev.capuchin.core.internal.site.SiteLoader;
import dev.capuchin.core.spi.SiteTable;
import dev.capuchin.core.spi.Plugin;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The data-plane kernel as part of a Spring Boot application: the server built from
 * {@code capuchin.*}, the sites loaded from {@code capuchin.sites-dir}, every
 * {@link Plugin} bean, and a lifecycle that starts and stops it with the context.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "capuchin.server.enabled", matchIfMissing = true)
@EnableConfigurationProperties(CapuchinProperties.class)
public final class CapuchinServerAutoConfiguration {

	/**
	 * The node's id, as in a proxy's {@code Via}; default: the host name and a random
	 * suffix.
	 */
	static final String NODE_ID = "capuchin.node.id";

	@Bean
	@ConditionalOnMissingBean
	SiteTable capuchinSiteTable(CapuchinProperties properties) {
		// a site whose root vanished answers 503 instead of stopping the node
		SiteLoader loader = new SiteLoader(Path.of("").toAbsolutePath(), SiteLoader.MissingFiles.ALLOW);
		return SiteTable.of(loader.loadDirectory(properties.sitesDir()));
	}

	@Bean(destroyMethod = "")
	@ConditionalOnMissingBean
	CapuchinServer capuchinServer(CapuchinProperties properties, SiteTable siteTable, ObjectProvider<Plugin> plugins,
			Environment environment) {
		List<Plugin> ordered = plugins.orderedStream().toList();
		// capuchin.node.id: read here rather than bound, so that the kernel keeps its
		// default (host name and a random suffix) without Spring
		String nodeId = environment.getProperty(NODE_ID);
		return new CapuchinServer(properties.server().toSettings(), siteTable, ordered,
				(nodeId != null && !nodeId.isBlank()) ? nodeId : NodeIds.generate());
	}

	@Bean
	@ConditionalOnMissingBean
	KernelLifecycle capuchinKernelLifecycle(CapuchinServer server) {
		return new KernelLifecycle(server);
	}

}
