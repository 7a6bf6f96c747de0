/**
 * OpenID logins: external OpenID Connect providers, found by their issuer's discovery
 * document, that locations ({@code auth: {openid: {login: corp}}}) sign in with. The
 * console pages, {@code /api/openid-logins}, the {@code openid-logins:} section of the
 * configuration document, the store (client secrets encrypted with the master key), the
 * resolution of a location's reference into the block plugin-auth reads, the health per
 * provider and the console's "Try it" sign-in.
 */
package dev.capuchin.app.openidlogins;
