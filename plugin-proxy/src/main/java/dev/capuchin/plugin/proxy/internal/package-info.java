/**
 * The proxy's implementation: balancers, per-server state, the exchange with the upstream
 * and health checks.
 */
@NullMarked
package dev.capuchin.plugin.proxy.internal;

import org.jspecify.annotations.NullMarked;
