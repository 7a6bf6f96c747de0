/**
 * Security of the control listener: console sign-in (throttled) and sessions, API tokens
 * as bearer credentials, the API's and actuator's refusals.
 */
package dev.capuchin.app.security;
