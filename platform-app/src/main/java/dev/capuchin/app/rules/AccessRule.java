package dev.capuchin.app.rules;

import java.util.Objects;

import dev.capuchin.plugin.mandril.RuleKind;
import dev.capuchin.plugin.mandril.PathRule;

/**
 * One access rule of a site: a value in one list of the site's or a location's
 * {@code mandril:} block. Rules are sets, so the site, location, kind and value are its
 * identity.
 *
 * @param site the site's name
 * @param location the location's path (or regular expression for a {@code match}
 * location), or {@code null} for the whole site
 * @param kind the list the value is in
 * @param value an address or CIDR block for the {@code ip} kinds; a path substring or
 * {@code regex:...} for the path kinds
 */
public record AccessRule(String site, String location, RuleKind kind, String value) {

	public AccessRule {
		Objects.requireNonNull(site, "site");
		Objects.requireNonNull(kind, "kind");
		Objects.requireNonNull(value, "value");
	}

	/**
	 * What the rule does, in plain words.
	 * @return for example {@code Clients from 10.0.0.0/8 are refused (403) on the whole
	 * site.}
	 */
	public String description() {
		String where = (this.location != null) ? "under location " + this.location : "on the whole site";
		String clients = this.value.contains("/") ? "Clients in " + this.value : "The client " + this.value;
		String paths = this.value.startsWith(PathRule.REGEX_PREFIX)
				? "Paths matching the regular expression " + this.value.substring(PathRule.REGEX_PREFIX.length())
				: "Paths containing " + this.value;
		return switch (this.kind) {
			case IP_ALLOW ->
				clients + " may pass " + where + "; with an allow list, every client not in it is refused (403).";
			case IP_DENY -> clients + (this.value.contains("/") ? " are" : " is") + " refused (403) " + where + ".";
			case URI_DENY -> paths + " are refused (403) " + where + ".";
			case HOTLINK_DENY -> paths + " are refused (403) " + where
					+ " when the Referer names another site; requests without a Referer are served.";
		};
	}

}
