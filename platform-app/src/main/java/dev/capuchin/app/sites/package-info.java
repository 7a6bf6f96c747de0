/**
 * Sites and their locations: the sites pages, {@code /api/sites}, the forms, the store
 * and the site entry the configuration holds.
 */
package dev.capuchin.app.sites;
