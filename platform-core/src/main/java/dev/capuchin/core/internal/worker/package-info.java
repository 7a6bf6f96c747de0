/**
 * The worker event loops and how accepted connections are spread over them (least loaded,
 * or SO_REUSEPORT per worker). Internal: no compatibility promise.
 */
@NullMarked
package dev.capuchin.core.internal.worker;

import org.jspecify.annotations.NullMarked;
