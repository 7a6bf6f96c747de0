/**
 * Identity: Capuchin's OAuth 2.1 authorization server and OpenID Connect provider (Spring
 * Security's authorization server), its JDBC stores, the master key and the signing keys.
 */
package dev.capuchin.app.identity;
