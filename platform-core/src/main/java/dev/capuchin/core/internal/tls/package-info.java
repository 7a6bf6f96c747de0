/**
 * TLS for the listeners: the engine (OpenSSL-class where it loads, the JDK's otherwise),
 * one context per certificate shared by every worker, session-ticket keys rotated on a
 * schedule, and certificates reloaded when their files change.
 */
@NullMarked
package dev.capuchin.core.internal.tls;

import org.jspecify.annotations.NullMarked;
