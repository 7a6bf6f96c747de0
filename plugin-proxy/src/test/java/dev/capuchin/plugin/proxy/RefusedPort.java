package dev.capuchin.plugin.proxy;

import java.io.IOException;
import java.net.ServerSocket;

/** A loopback port nothing listens on: bound, then closed. */
final class RefusedPort {

	private RefusedPort() {
	}

	static int find() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
