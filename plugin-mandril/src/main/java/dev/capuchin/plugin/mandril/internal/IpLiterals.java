package dev.capuchin.plugin.mandril.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * IP address literals, parsed without a name lookup: a value from a configuration file or
 * a forwarding header must never make the server ask DNS.
 */
public final class IpLiterals {

	private static final int MAX_IPV6_LENGTH = 45;

	private IpLiterals() {
	}

	/**
	 * Parse a dotted-quad IPv4 or an IPv6 literal (optionally in brackets).
	 * @param text the literal
	 * @return the address, or {@code null} when the text is not an address literal
	 */
	public static InetAddress parse(String text) {
		if (text == null || text.isEmpty()) {
			return null;
		}
		String literal = text;
		if (literal.charAt(0) == '[') {
			if (literal.length() < 3 || literal.charAt(literal.length() - 1) != ']') {
				return null;
			}
			literal = literal.substring(1, literal.length() - 1);
			if (literal.indexOf(':') < 0) {
				return null;
			}
		}
		if (literal.indexOf(':') < 0) {
			byte[] bytes = ipv4(literal);
			return (bytes != null) ? byAddress(bytes) : null;
		}
		return ipv6(literal);
	}

	/**
	 * The address bytes with an IPv4-mapped IPv6 address reduced to its four IPv4 bytes.
	 * @param address the address
	 * @return 4 or 16 bytes
	 */
	public static byte[] bytes(InetAddress address) {
		return normalize(address.getAddress());
	}

	/**
	 * Address bytes with an IPv4-mapped IPv6 address reduced to its four IPv4 bytes.
	 * @param bytes 4 or 16 address bytes
	 * @return 4 or 16 bytes
	 */
	public static byte[] normalize(byte[] bytes) {
		if (bytes.length == 16 && isIpv4Mapped(bytes)) {
			return new byte[] { bytes[12], bytes[13], bytes[14], bytes[15] };
		}
		return bytes;
	}

	private static boolean isIpv4Mapped(byte[] bytes) {
		for (int i = 0; i < 10; i++) {
			if (bytes[i] != 0) {
				return false;
			}
		}
		return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
	}

	private static byte[] ipv4(String text) {
		byte[] bytes = new byte[4];
		int part = 0;
		int value = -1;
		int digits = 0;
		for (int i = 0; i <= text.length(); i++) {
			char c = (i < text.length()) ? text.charAt(i) : '.';
			if (c == '.') {
				if (value < 0 || part > 3) {
					return null;
				}
				bytes[part++] = (byte) value;
				value = -1;
				digits = 0;
			}
			else if (c >= '0' && c <= '9') {
				value = ((value < 0) ? 0 : value * 10) + (c - '0');
				if (++digits > 3 || value > 255) {
					return null;
				}
			}
			else {
				return null;
			}
		}
		return (part == 4) ? bytes : null;
	}

	private static InetAddress ipv6(String text) {
		if (text.length() > MAX_IPV6_LENGTH) {
			return null;
		}
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			boolean allowed = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':'
					|| c == '.';
			if (!allowed) {
				return null;
			}
		}
		try {
			// brackets make the JDK treat the text as an IPv6 literal: it never looks it
			// up
			return InetAddress.getByName("[" + text + "]");
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

	private static InetAddress byAddress(byte[] bytes) {
		try {
			return InetAddress.getByAddress(bytes);
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
