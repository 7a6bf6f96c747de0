package dev.capuchin.plugin.logger.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.ZoneId;

/**
 * What one thread needs to format log lines without allocating: the line buffer, the
 * per-second time cache, and the text of the last client address (a keep-alive
 * connection's requests share one address object).
 */
public final class FormatContext {

	private final LineBuilder line = new LineBuilder();

	private final LogTime time;

	private InetSocketAddress lastClient;

	private String lastClientText = "-";

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
	 * The client's address as text ({@code 192.0.2.1}, {@code 2001:db8:0:0:0:0:0:1}).
	 * @param client the address, or {@code null}
	 * @return the text, {@code -} for none
	 */
	public String client(InetSocketAddress client) {
		if (client == null) {
			return "-";
		}
		if (client != this.lastClient) {
			InetAddress address = client.getAddress();
			this.lastClientText = (address != null) ? address.getHostAddress() : client.getHostString();
			this.lastClient = client;
		}
		return this.lastClientText;
	}

}
