package dev.capuchin.app.audit;

import java.util.Locale;

/**
 * The verbs of the audit log: one set for every kind of change, so that a filter or a
 * reader never has to know that one page once wrote {@code create} and another
 * {@code added}.
 */
public enum AuditAction {

	/** Something new exists: a site, a location, an access rule, an account. */
	ADDED,

	/** Something that exists has other values. */
	CHANGED,

	/** Something is gone. */
	REMOVED,

	/** A site, account or client is served or allowed again. */
	ENABLED,

	/** A site, account or client is no longer served or allowed. */
	DISABLED,

	/** A token or grant was withdrawn before its end. */
	REVOKED,

	/** A key or secret was replaced by a new one. */
	ROTATED,

	/** A whole configuration was read from files or a document. */
	IMPORTED;

	/**
	 * The verb as stored and shown.
	 * @return for example {@code added}
	 */
	public String verb() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * The stored verb for an action as written by callers: the verb of the set for an
	 * older spelling, or the action itself (trimmed, lower case) when it is outside the
	 * set, so that a caller with a verb of its own is never refused.
	 * @param action the action as written
	 * @return the verb to store
	 */
	public static String verbOf(String action) {
		try {
			return of(action).verb();
		}
		catch (IllegalArgumentException ex) {
			return String.valueOf(action).trim().toLowerCase(Locale.ROOT);
		}
	}

	/**
	 * The verb for an action as written by callers, older spellings included
	 * ({@code create}, {@code update}, {@code delete}, {@code revoke}, {@code rotate},
	 * {@code rotate-secret}, {@code reset-password}, {@code import}).
	 * @param action the action as written
	 * @return the verb
	 * @throws IllegalArgumentException for an action outside the set
	 */
	public static AuditAction of(String action) {
		String key = String.valueOf(action).trim().toLowerCase(Locale.ROOT);
		return switch (key) {
			case "create", "add" -> ADDED;
			case "update", "change", "reset-password" -> CHANGED;
			case "delete", "remove" -> REMOVED;
			case "enable" -> ENABLED;
			case "disable" -> DISABLED;
			case "revoke" -> REVOKED;
			case "rotate", "rotate-secret" -> ROTATED;
			case "import" -> IMPORTED;
			default -> {
				for (AuditAction value : values()) {
					if (value.verb().equals(key)) {
						yield value;
					}
				}
				throw new IllegalArgumentException("action: '" + action + "' (expected: one of added, changed, "
						+ "removed, enabled, disabled, revoked, rotated, imported)");
			}
		};
	}

}
