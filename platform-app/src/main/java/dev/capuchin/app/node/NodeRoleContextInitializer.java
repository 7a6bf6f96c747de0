package dev.capuchin.app.node;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Says which role the node runs in and, on an edge node, registers the filter that keeps
 * the console's, the API's and identity's components out of the context.
 */
public final class NodeRoleContextInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	private static final Logger logger = LoggerFactory.getLogger(NodeRoleContextInitializer.class);

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		NodeRole role = NodeRole.of(context.getEnvironment());
		if (role == NodeRole.EDGE) {
			context.getBeanFactory().registerSingleton("capuchinEdgeTypeExcludeFilter", new EdgeTypeExcludeFilter());
			logger.info("Edge node: the data plane and the store only (no console, API, identity or Actuator "
					+ "endpoints)");
		}
		else if (role == NodeRole.ADMIN) {
			logger.info("Admin node: the control plane; the data plane runs only if capuchin.server.enabled=true");
		}
	}

}
