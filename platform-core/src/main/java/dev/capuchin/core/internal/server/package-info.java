/**
 * The server: listeners, the HTTP/1.1 and HTTP/2 pipelines, connection limits and
 * timeouts, the request path through the plugin stages ({@code Dispatcher},
 * {@code PluginChain}) and the direct path for plain files. Internal: no compatibility
 * promise.
 */
@NullMarked
package dev.capuchin.core.internal.server;

import org.jspecify.annotations.NullMarked;
