/**
 * Reload without restart: {@code SIGHUP} ({@code systemctl reload capuchin}) re-reads the
 * site files of a file-seeded store and reopens the log files.
 */
package dev.capuchin.app.shared.reload;
