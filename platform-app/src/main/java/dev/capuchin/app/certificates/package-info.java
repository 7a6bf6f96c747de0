/**
 * Certificates: ordered from an ACME CA (RFC 8555) for sites with {@code tls: {acme:
 * true}}, kept in the store with their keys encrypted, served by every node, renewed by
 * themselves; and the {@code /api/certificates} list.
 */
package dev.capuchin.app.certificates;
