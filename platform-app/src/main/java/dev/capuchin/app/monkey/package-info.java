/**
 * Monkey import: Monkey's configuration directory read and mapped to sites, properties
 * and plugin blocks, through the console, {@code /api/config/monkey} and the command
 * line.
 */
package dev.capuchin.app.monkey;
