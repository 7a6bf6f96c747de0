/**
 * Stored auth realms and their users: the realm pages, {@code /api/realms}, the service,
 * the store, the forms and the rules realms, users and passwords follow.
 */
package dev.capuchin.app.realms;
