/**
 * The API's error format, for every {@code @RestController} under {@code /api/}.
 */
package dev.capuchin.app.shared.api;
