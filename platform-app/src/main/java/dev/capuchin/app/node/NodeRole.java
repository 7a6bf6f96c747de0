package dev.capuchin.app.node;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.springframework.core.env.Environment;

/**
 * What a node runs, chosen with {@code capuchin.node.role}. Nodes of every role share one
 * store; several edge nodes behind a layer-4 balancer and one or two admin nodes are how
 * Capuchin scales out.
 */
public enum NodeRole {

	/**
	 * The data plane and the control plane (console, API, identity, Actuator): the
	 * default.
	 */
	FULL,

	/**
	 * The data plane, its plugins and the store client only: no servlet container,
	 * console, API, identity or Actuator web endpoints; optionally a health probe on a
	 * port of its own.
	 */
	EDGE,

	/**
	 * The control plane only: the data plane is off unless
	 * {@code capuchin.server.enabled} says otherwise.
	 */
	ADMIN;

	/** The property that chooses the role. */
	public static final String PROPERTY = "capuchin.node.role";

	/**
	 * The role an environment asks for.
	 * @param environment the environment
	 * @return the role, {@link #FULL} when none is set
	 * @throws IllegalArgumentException naming the property and the expected values
	 */
	public static NodeRole of(Environment environment) {
		String value = environment.getProperty(PROPERTY);
		if (value == null || value.isBlank()) {
			return FULL;
		}
		String name = value.trim().toUpperCase(Locale.ROOT);
		for (NodeRole role : values()) {
			if (role.name().equals(name)) {
				return role;
			}
		}
		throw new IllegalArgumentException(PROPERTY + ": '" + value + "' (expected: one of "
				+ Arrays.stream(values()).map(NodeRole::configName).collect(Collectors.joining(", ")) + ")");
	}

	/**
	 * The name as written in configuration.
	 * @return the lower-case name
	 */
	public String configName() {
		return name().toLowerCase(Locale.ROOT);
	}

}
