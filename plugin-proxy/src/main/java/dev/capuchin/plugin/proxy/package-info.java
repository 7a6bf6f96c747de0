/**
 * The reverse proxy plugin: locations with a {@code proxy:} block pass their requests to
 * upstream servers chosen by a balancer, with failover, health checks and the recursion
 * check; {@link dev.capuchin.plugin.proxy.Upstreams} owns the format of upstream
 * definitions for the control plane.
 */
@NullMarked
package dev.capuchin.plugin.proxy;

import org.jspecify.annotations.NullMarked;
