package dev.capuchin.plugin.auth.internal;

/**
 * What {@code mode: basic} compiled for one location.
 *
 * @param users the location's users file
 * @param challenge the {@code WWW-Authenticate} value for its realm
 */
public record BasicLocation(WatchedUsersFile users, String challenge) {

}
