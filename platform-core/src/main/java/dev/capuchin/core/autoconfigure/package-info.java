/**
 * Spring Boot auto-configuration of the data plane: binds {@code capuchin.*} properties,
 * builds the server from the site files and the plugin beans, and ties its start and stop
 * to the application's life cycle. The only package of the core that uses Spring.
 */
@NullMarked
package dev.capuchin.core.autoconfigure;

import org.jspecify.annotations.NullMarked;
