package dev.capuchin.plugin.mandril.internal;

import dev.capuchin.plugin.mandril.IpRules;

/**
 * {@link IpRules} compiled for the connection and request paths.
 */
public final class IpFilter {

	private final AddressSet allow;

	private final AddressSet deny;

	private IpFilter(AddressSet allow, AddressSet deny) {
		this.allow = allow;
		this.deny = deny;
	}

	/**
	 * Compile rules.
	 * @param rules the rules
	 * @return the filter, or {@code null} when the rules are empty
	 */
	public static IpFilter of(IpRules rules) {
		return rules.isEmpty() ? null : new IpFilter(AddressSet.of(rules.allow()), AddressSet.of(rules.deny()));
	}

	/**
	 * Whether an address passes: no deny block holds it and, when there are allow blocks,
	 * one of them does.
	 * @param address address bytes as from {@link IpLiterals#bytes}
	 * @return {@code true} when it may pass
	 */
	public boolean permits(byte[] address) {
		if (this.deny.contains(address)) {
			return false;
		}
		return this.allow.isEmpty() || this.allow.contains(address);
	}

}
