/**
 * The live configuration: the one service every change goes through (validate, store in
 * one transaction with the version bump and audit entry, swap), the configuration
 * version, the poller that picks up other nodes' changes, and the store's wiring.
 */
package dev.capuchin.app.shared.config;
