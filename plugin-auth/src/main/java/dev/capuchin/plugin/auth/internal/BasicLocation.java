package dev.capuchin.plugin.auth.internal;

/**
 * What {@code mode: basic} compiled for one location.
 *
 * @param users the location's users: its users file, or the block's own {@code users}
 * @param challenge the {@code WWW-Authenticate} value for its realm
 */
public record BasicLocation(UserSource users, String challenge) {

}
