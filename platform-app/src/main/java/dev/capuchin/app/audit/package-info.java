/**
 * The audit log: who changed what and when, with the state before and after. Its store,
 * the console page and {@code /api/audit}.
 */
package dev.capuchin.app.audit;
