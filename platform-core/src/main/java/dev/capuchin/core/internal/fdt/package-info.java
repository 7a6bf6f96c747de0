/**
 * The per-worker open-file table (FDT): open file channels shared by the requests of one
 * worker, reference-counted and thread-confined, and the file region that returns its
 * reference instead of closing the channel. Internal: no compatibility promise.
 */
@NullMarked
package dev.capuchin.core.internal.fdt;

import org.jspecify.annotations.NullMarked;
