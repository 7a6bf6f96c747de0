package dev.capuchin.app.node;

import java.util.Map;
import java.util.Optional;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns {@code capuchin.node.role} into the settings the role implies, before the
 * application context is created. An edge node gets no web application at all (so no
 * servlet container, console, API, identity or Actuator web endpoints), with a thread
 * that keeps the process alive, and is refused on a store that no other process can
 * reach. An admin node gets the data plane switched off unless
 * {@code capuchin.server.enabled} is set.
 */
public final class NodeRoleEnvironmentPostProcessor implements EnvironmentPostProcessor {

	static final String FORCED = "capuchinNodeRole";

	static final String DEFAULTS = "capuchinNodeRoleDefaults";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		NodeRole role = NodeRole.of(environment);
		if (role == NodeRole.EDGE) {
			Optional<String> problem = SharedStore.problem(environment.getProperty("spring.datasource.url"));
			if (problem.isPresent()) {
				throw new IllegalStateException(NodeRole.PROPERTY + "=edge: " + problem.get());
			}
			// first: the built-in application.yml says servlet, and an edge node is by
			// definition one without a servlet container
			environment.getPropertySources()
				.addFirst(new MapPropertySource(FORCED, Map.of("spring.main.web-application-type", "none")));
			// without a web server nothing else is sure to keep the JVM running
			environment.getPropertySources()
				.addLast(new MapPropertySource(DEFAULTS, Map.of("spring.main.keep-alive", "true")));
		}
		else if (role == NodeRole.ADMIN) {
			environment.getPropertySources()
				.addLast(new MapPropertySource(DEFAULTS, Map.of("capuchin.server.enabled", "false")));
		}
	}

}
