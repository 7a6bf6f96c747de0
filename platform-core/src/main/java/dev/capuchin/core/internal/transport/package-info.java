/**
 * The one seam to the transports: epoll, io_uring and NIO, their detection, and the
 * socket options each supports. The only package that imports native transport classes.
 * Internal: no compatibility promise.
 */
@NullMarked
package dev.capuchin.core.internal.transport;

import org.jspecify.annotations.NullMarked;
