package dev.capuchin.plugin.mandril;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Allow and deny lists of address blocks. An address passes when no deny block holds it
 * and, if the allow list is not empty, an allow block does: deny always wins over allow.
 *
 * @param allow the blocks that may pass; empty for every address
 * @param deny the blocks that never pass
 */
public record IpRules(List<Cidr> allow, List<Cidr> deny) {

	/** No rules: every address passes. */
	public static final IpRules NONE = new IpRules(List.of(), List.of());

	public IpRules {
		allow = List.copyOf(allow);
		deny = List.copyOf(deny);
	}

	/**
	 * Rules from textual blocks.
	 * @param allow the allowed blocks
	 * @param deny the denied blocks
	 * @return the rules
	 * @throws IllegalArgumentException when a block is malformed
	 */
	public static IpRules of(List<String> allow, List<String> deny) {
		return new IpRules(parse(allow), parse(deny));
	}

	private static List<Cidr> parse(List<String> blocks) {
		List<Cidr> parsed = new ArrayList<>(blocks.size());
		for (String block : blocks) {
			parsed.add(Cidr.parse(block));
		}
		return parsed;
	}

	/**
	 * Whether there is no rule at all.
	 * @return {@code true} when every address passes
	 */
	public boolean isEmpty() {
		return this.allow.isEmpty() && this.deny.isEmpty();
	}

	/**
	 * Whether an address passes these rules.
	 * @param address the client address
	 * @return {@code true} when it may pass
	 */
	public boolean permits(InetAddress address) {
		for (Cidr block : this.deny) {
			if (block.matches(address)) {
				return false;
			}
		}
		if (this.allow.isEmpty()) {
			return true;
		}
		for (Cidr block : this.allow) {
			if (block.matches(address)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * These rules and another set together: an address must pass both.
	 * @param other the other rules
	 * @return the union of the deny lists, and of the allow lists
	 */
	public IpRules and(IpRules other) {
		if (other.isEmpty()) {
			return this;
		}
		if (isEmpty()) {
			return other;
		}
		List<Cidr> allowed = new ArrayList<>(this.allow);
		allowed.addAll(other.allow);
		List<Cidr> denied = new ArrayList<>(this.deny);
		denied.addAll(other.deny);
		return new IpRules(allowed, denied);
	}

}
