package dev.capuchin.plugin.mandril;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

import dev.capuchin.plugin.mandril.internal.IpLiterals;

/**
 * A block of IPv4 or IPv6 addresses: a network address and a prefix length. A single
 * address is a block of one ({@code /32}, {@code /128}). Host bits of the network address
 * are cleared, as Monkey does: {@code 10.20.1.1/24} is {@code 10.20.1.0/24}.
 *
 * @param network the network address, host bits cleared
 * @param prefix the number of leading bits that must match
 */
public record Cidr(InetAddress network, int prefix) {

	public Cidr {
		Objects.requireNonNull(network, "network");
		int bits = IpLiterals.bytes(network).length * 8;
		if (prefix < 0 || prefix > bits) {
			throw new IllegalArgumentException("prefix /" + prefix + " of " + network.getHostAddress()
					+ " is out of range (expected: 0.." + bits + ")");
		}
		network = masked(network, prefix);
	}

	/**
	 * Parse {@code 192.0.2.7}, {@code 10.0.0.0/8}, {@code 2001:db8::/32} or
	 * {@code [::1]}. Host names are refused: they are never looked up.
	 * @param text the block
	 * @return the block
	 * @throws IllegalArgumentException when the text is not an address or block
	 */
	public static Cidr parse(String text) {
		String value = (text != null) ? text.trim() : "";
		int slash = value.indexOf('/');
		String host = (slash >= 0) ? value.substring(0, slash) : value;
		InetAddress address = IpLiterals.parse(host);
		if (address == null) {
			throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR block");
		}
		int bits = IpLiterals.bytes(address).length * 8;
		if (slash < 0) {
			return new Cidr(address, bits);
		}
		String length = value.substring(slash + 1);
		int prefix = -1;
		if (!length.isEmpty() && length.length() <= 3 && length.chars().allMatch(Character::isDigit)) {
			prefix = Integer.parseInt(length);
		}
		if (prefix < 0 || prefix > bits) {
			throw new IllegalArgumentException(
					"'" + text + "' has a prefix length out of range (expected: /0../" + bits + ")");
		}
		return new Cidr(address, prefix);
	}

	/**
	 * Whether an address falls in this block. An IPv4-mapped IPv6 address counts as its
	 * IPv4 address; otherwise IPv4 and IPv6 never match each other.
	 * @param address the address
	 * @return {@code true} when it is in the block
	 */
	public boolean matches(InetAddress address) {
		return matches(IpLiterals.bytes(address));
	}

	/**
	 * Whether address bytes fall in this block, an IPv4-mapped IPv6 address as its IPv4
	 * address.
	 * @param address 4 or 16 address bytes
	 * @return {@code true} when they are in the block
	 */
	public boolean matches(byte[] address) {
		// a byte compare by hand: it runs for every connection on the event loop, where
		// building an address or a BigInteger per check would cost more than the check
		address = IpLiterals.normalize(address);
		byte[] net = IpLiterals.bytes(this.network);
		if (net.length != address.length) {
			return false;
		}
		int full = this.prefix / 8;
		for (int i = 0; i < full; i++) {
			if (net[i] != address[i]) {
				return false;
			}
		}
		int rest = this.prefix % 8;
		if (rest == 0) {
			return true;
		}
		int mask = (0xff << (8 - rest)) & 0xff;
		return (net[full] & mask) == (address[full] & mask);
	}

	private static InetAddress masked(InetAddress address, int prefix) {
		byte[] bytes = IpLiterals.bytes(address);
		for (int i = 0; i < bytes.length; i++) {
			int keep = Math.max(0, Math.min(8, prefix - i * 8));
			bytes[i] &= (byte) ((0xff << (8 - keep)) & 0xff);
		}
		try {
			return InetAddress.getByAddress(bytes);
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public String toString() {
		return this.network.getHostAddress() + "/" + this.prefix;
	}

}
