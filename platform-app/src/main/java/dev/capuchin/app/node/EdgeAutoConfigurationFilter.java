package dev.capuchin.app.node;

import java.util.List;

import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * On an edge node, skips the auto-configurations of what only the control plane uses: the
 * servlet container and Spring MVC, Thymeleaf, Spring Security and the authorization
 * server. Without a web application most of them would back off by their own conditions;
 * the rest (a template engine, security's event publisher) would only cost memory and
 * start time. Other roles get every auto-configuration.
 */
public final class EdgeAutoConfigurationFilter implements AutoConfigurationImportFilter, EnvironmentAware {

	/** Packages of Spring Boot's modules an edge node has no use for. */
	static final List<String> CONTROL_PLANE_ONLY = List.of("org.springframework.boot.security.",
			"org.springframework.boot.thymeleaf.", "org.springframework.boot.webmvc.",
			"org.springframework.boot.servlet.", "org.springframework.boot.tomcat.",
			"org.springframework.boot.http.converter.");

	private boolean edge;

	@Override
	public void setEnvironment(Environment environment) {
		this.edge = NodeRole.of(environment) == NodeRole.EDGE;
	}

	@Override
	public boolean[] match(String[] candidates, AutoConfigurationMetadata metadata) {
		boolean[] matches = new boolean[candidates.length];
		for (int i = 0; i < candidates.length; i++) {
			matches[i] = !this.edge || candidates[i] == null || !controlPlaneOnly(candidates[i]);
		}
		return matches;
	}

	private static boolean controlPlaneOnly(String name) {
		return CONTROL_PLANE_ONLY.stream().anyMatch(name::startsWith);
	}

}
