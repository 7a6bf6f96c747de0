package dev.capuchin.core.server;

import dev.capuchin.core.transport.Transport;

class NioHttp2SocketTests extends Http2SocketTests {

	@Override
	protected Transport transport() {
		return Transport.NIO;
	}

}
