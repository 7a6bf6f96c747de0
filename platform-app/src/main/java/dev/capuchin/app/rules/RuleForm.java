package dev.capuchin.app.rules;

/**
 * The "Add rule" form, and the identity of a rule to delete.
 *
 * @param site the site's name
 * @param location the location's path or expression; empty for the whole site
 * @param kind {@code ip-allow}, {@code ip-deny}, {@code uri-deny} or {@code hotlink-deny}
 * @param value an address, a CIDR block, a path substring or {@code regex:...}
 */
record RuleForm(String site, String location, String kind, String value) {

	static RuleForm blank(String site) {
		return new RuleForm(site, "", "ip-deny", "");
	}

}
