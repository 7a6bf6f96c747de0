/**
 * The console's base pieces: flash messages, form errors, the 404 page, formats for
 * templates, the console's properties and the sign-in page.
 */
package dev.capuchin.app.shared.console;
