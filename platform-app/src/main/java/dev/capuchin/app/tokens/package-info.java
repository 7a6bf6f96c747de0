/**
 * API tokens: the tokens page, {@code /api/tokens}, the service that makes and checks
 * them, and their store.
 */
package dev.capuchin.app.tokens;
