package dev.capuchin.plugin.mandril.internal;

import java.util.List;

import dev.capuchin.plugin.mandril.Cidr;

/**
 * Address blocks flattened into arrays for the connection and request paths: matching
 * walks bytes and allocates nothing.
 */
public final class AddressSet {

	private static final AddressSet EMPTY = new AddressSet(new byte[0][], new int[0]);

	private final byte[][] networks;

	private final int[] prefixes;

	private AddressSet(byte[][] networks, int[] prefixes) {
		this.networks = networks;
		this.prefixes = prefixes;
	}

	/**
	 * Compile blocks.
	 * @param blocks the blocks
	 * @return the set
	 */
	public static AddressSet of(List<Cidr> blocks) {
		if (blocks.isEmpty()) {
			return EMPTY;
		}
		byte[][] networks = new byte[blocks.size()][];
		int[] prefixes = new int[blocks.size()];
		for (int i = 0; i < networks.length; i++) {
			networks[i] = IpLiterals.bytes(blocks.get(i).network());
			prefixes[i] = blocks.get(i).prefix();
		}
		return new AddressSet(networks, prefixes);
	}

	/**
	 * Whether the set holds no block.
	 * @return {@code true} when empty
	 */
	public boolean isEmpty() {
		return this.networks.length == 0;
	}

	/**
	 * Whether an address is in one of the blocks.
	 * @param address address bytes as from {@link IpLiterals#bytes}
	 * @return {@code true} on a match
	 */
	public boolean contains(byte[] address) {
		for (int i = 0; i < this.networks.length; i++) {
			if (matches(this.networks[i], this.prefixes[i], address)) {
				return true;
			}
		}
		return false;
	}

	private static boolean matches(byte[] network, int prefix, byte[] address) {
		if (network.length != address.length) {
			return false;
		}
		int full = prefix >>> 3;
		for (int i = 0; i < full; i++) {
			if (network[i] != address[i]) {
				return false;
			}
		}
		int rest = prefix & 7;
		if (rest == 0) {
			return true;
		}
		int mask = (0xff << (8 - rest)) & 0xff;
		return (network[full] & mask) == (address[full] & mask);
	}

}
