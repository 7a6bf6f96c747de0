package dev.capuchin.plugin.auth;

import java.util.Objects;

/**
 * The compiled {@code auth:} block of one location.
 *
 * @param field the block's name for log lines, such as
 * {@code site shop: locations[0].auth}
 * @param mode the mode that checks credentials
 * @param realm the protection space, sent in challenges
 * @param require who may pass once authenticated
 * @param modeSettings what the mode {@link AuthMode#compile compiled} from its own keys
 */
public record LocationAuth(String field, AuthMode mode, String realm, Require require, Object modeSettings) {

	public LocationAuth {
		Objects.requireNonNull(field, "field");
		Objects.requireNonNull(mode, "mode");
		Objects.requireNonNull(realm, "realm");
		Objects.requireNonNull(require, "require");
	}

	/**
	 * The mode's settings as their type.
	 * @param type the type the mode compiled
	 * @param <T> the type
	 * @return the settings
	 */
	public <T> T modeSettings(Class<T> type) {
		return type.cast(this.modeSettings);
	}

}
