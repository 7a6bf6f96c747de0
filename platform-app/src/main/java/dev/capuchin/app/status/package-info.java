/**
 * A node's status: one {@code NodeStatus} built by {@code StatusReader} for the
 * dashboard, {@code /api/status} and {@code /actuator/capuchin}; the request counter and
 * rates behind the dashboard's chart; the kernel's meters.
 */
package dev.capuchin.app.status;
