package dev.capuchin.plugin.mandril;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The kinds of access rule, each one list of a {@code mandril:} block of a site or a
 * location. The identifiers are what the control plane's store, console and API use.
 */
public enum RuleKind {

	/** {@code mandril.ip.allow}: when the list is not empty, only its addresses pass. */
	IP_ALLOW("ip-allow", "ip", "allow"),

	/** {@code mandril.ip.deny}: its addresses are refused with 403. */
	IP_DENY("ip-deny", "ip", "deny"),

	/** {@code mandril.uri.deny}: paths that match are refused with 403. */
	URI_DENY("uri-deny", "uri", "deny"),

	/**
	 * {@code mandril.hotlink.deny}: paths that match are refused with 403 to a foreign
	 * {@code Referer}.
	 */
	HOTLINK_DENY("hotlink-deny", "hotlink", "deny");

	private final String id;

	private final String section;

	private final String list;

	RuleKind(String id, String section, String list) {
		this.id = id;
		this.section = section;
		this.list = list;
	}

	/**
	 * The kind with an identifier.
	 * @param id {@code ip-allow}, {@code ip-deny}, {@code uri-deny} or
	 * {@code hotlink-deny}
	 * @return the kind
	 * @throws IllegalArgumentException naming the expected identifiers
	 */
	public static RuleKind of(String id) {
		for (RuleKind kind : values()) {
			if (kind.id.equals(id)) {
				return kind;
			}
		}
		throw new IllegalArgumentException("'" + id + "' is not a kind of rule (expected: " + names() + ")");
	}

	/**
	 * Every identifier, for messages.
	 * @return {@code ip-allow, ip-deny, uri-deny or hotlink-deny}
	 */
	public static String names() {
		String all = Arrays.stream(values()).map(RuleKind::id).collect(Collectors.joining(", "));
		int last = all.lastIndexOf(", ");
		return all.substring(0, last) + " or " + all.substring(last + 2);
	}

	/**
	 * The identifier.
	 * @return for example {@code ip-deny}
	 */
	public String id() {
		return this.id;
	}

	/**
	 * The section of the {@code mandril:} block.
	 * @return {@code ip}, {@code uri} or {@code hotlink}
	 */
	String section() {
		return this.section;
	}

	/**
	 * The list within the section.
	 * @return {@code allow} or {@code deny}
	 */
	String list() {
		return this.list;
	}

	/**
	 * The site-file key of the list.
	 * @return for example {@code mandril.ip.deny}
	 */
	public String key() {
		return MandrilBlocks.KEY + "." + this.section + "." + this.list;
	}

	/**
	 * Whether the rules are addresses (rather than paths).
	 * @return {@code true} for the {@code ip} lists
	 */
	public boolean addresses() {
		return this == IP_ALLOW || this == IP_DENY;
	}

	/**
	 * Check a value as the plugin reads it.
	 * @param value an address or CIDR block for the {@code ip} kinds, a path substring or
	 * {@code regex:...} for the others
	 * @throws IllegalArgumentException saying what was expected
	 */
	public void check(String value) {
		if (addresses()) {
			Cidr.parse(value);
		}
		else {
			PathRule.parse(value);
		}
	}

	/**
	 * What a missing value should have been, for messages.
	 * @return {@code an IP address or CIDR block} or
	 * {@code a path substring or regex:...}
	 */
	public String expected() {
		return addresses() ? "an IP address or CIDR block" : "a path substring or regex:...";
	}

}
