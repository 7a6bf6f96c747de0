/**
 * Console accounts: the users page, {@code /api/users}, the forms and the store.
 */
package dev.capuchin.app.users;
