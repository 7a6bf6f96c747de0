/**
 * What every feature package shares; a feature adds nothing here that only it uses.
 */
package dev.capuchin.app.shared;
