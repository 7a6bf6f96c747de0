package dev.capuchin.plugin.logger.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.ZoneId;

/**
 * What one thread needs to format log lines without allocating: the line buffer, the
 * per-second time cache, and the text of the last IPv6 client address. IPv4 addresses are
 * written digit by digit.
 */
public final class FormatContext {

	private final LineBuilder line = new LineBuilder();

	private final LogTime time;

	private InetAddress lastAddress;

	private String lastText = "-";

	public FormatContext(ZoneId zone) {
		this.time = new LogTime(zone);
	}

	public LineBuilder line() {
		return this.line;
	}

	public LogTime time() {
		return this.time;
	}

	/**
	 * Append the client's address ({@code 192.0.2.1}, {@code 2001:db8:0:0:0:0:0:1}),
	 * {@code -} for none.
	 * @param client the address, or {@code null}
	 * @param json whether to write it as a JSON string
	 * @param out the line
	 */
	public void appendClient(InetSocketAddress client, boolean json, LineBuilder out) {
		InetAddress address = (client != null) ? client.getAddress() : null;
		if (address instanceof Inet4Address) {
			// an IPv4 address's hash code is the address itself
			int bits = address.hashCode();
			if (json) {
				out.append('"');
			}
			out.append((bits >>> 24) & 0xff)
				.append('.')
				.append((bits >>> 16) & 0xff)
				.append('.')
				.append((bits >>> 8) & 0xff)
				.append('.')
				.append(bits & 0xff);
			if (json) {
				out.append('"');
			}
			return;
		}
		String text = text(client, address);
		if (json) {
			out.appendJsonString(text);
		}
		else {
			out.appendEscaped(text);
		}
	}

	private String text(InetSocketAddress client, InetAddress address) {
		if (client == null) {
			return "-";
		}
		if (address == null) {
			return client.getHostString();
		}
		if (!address.equals(this.lastAddress)) {
			this.lastText = address.getHostAddress();
			this.lastAddress = address;
		}
		return this.lastText;
	}

}
