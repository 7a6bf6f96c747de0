package dev.capuchin.app.rules;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The kinds of access rule, each one list of a {@code mandril:} block of a site or a
 * location. The identifiers are what the store, the console and {@code /api/access-rules}
 * use.
 */
public enum AccessRuleKind {

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

	/** The key of the plugin's blocks in site files. */
	public static final String BLOCK = "mandril";

	private final String id;

	private final String section;

	private final String list;

	AccessRuleKind(String id, String section, String list) {
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
	public static AccessRuleKind of(String id) {
		for (AccessRuleKind kind : values()) {
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
		String all = Arrays.stream(values()).map(AccessRuleKind::id).collect(Collectors.joining(", "));
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
	public String section() {
		return this.section;
	}

	/**
	 * The list within the section.
	 * @return {@code allow} or {@code deny}
	 */
	public String list() {
		return this.list;
	}

	/**
	 * The site-file key of the list.
	 * @return for example {@code mandril.ip.deny}
	 */
	public String key() {
		return BLOCK + "." + this.section + "." + this.list;
	}

	/**
	 * Whether the rules are addresses (rather than paths).
	 * @return {@code true} for the {@code ip} lists
	 */
	public boolean addresses() {
		return this == IP_ALLOW || this == IP_DENY;
	}

}
