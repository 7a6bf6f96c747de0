/**
 * Site logs: the logs page and {@code /api/logs}, reading the tail of the files the
 * logger plugin's {@code LogDestinations} names.
 */
package dev.capuchin.app.logs;
