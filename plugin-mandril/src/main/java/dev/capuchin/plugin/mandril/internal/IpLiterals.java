package dev.capuchin.plugin.mandril.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

import io.netty.util.NetUtil;

/**
 * IP address literals, parsed without a name lookup: a value from a configuration file or
 * a forwarding header must never make the server ask DNS. Parsing is Netty's
 * {@link NetUtil}, which reads the text itself and never calls a resolver.
 */
public final class IpLiterals {

	private IpLiterals() {
	}

	/**
	 * Parse a dotted-quad IPv4 or an IPv6 literal (optionally in brackets). An IPv6
	 * literal with a zone ({@code fe80::1%eth0}) is refused: a rule or a forwarded
	 * address names no interface.
	 * @param text the literal
	 * @return the address, or {@code null} when the text is not an address literal
	 */
	public static InetAddress parse(String text) {
		if (text == null || text.isEmpty() || text.indexOf('%') >= 0) {
			return null;
		}
		byte[] bytes = NetUtil.createByteArrayFromIpAddressString(text);
		return (bytes != null) ? byAddress(bytes) : null;
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

	// by hand rather than through InetAddress: this runs for every connection and request
	// on the event loop and must not allocate an address object to compare ten bytes
	private static boolean isIpv4Mapped(byte[] bytes) {
		for (int i = 0; i < 10; i++) {
			if (bytes[i] != 0) {
				return false;
			}
		}
		return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
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
