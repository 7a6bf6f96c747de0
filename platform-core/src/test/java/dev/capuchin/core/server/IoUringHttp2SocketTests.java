package dev.capuchin.core.server;

import dev.capuchin.core.transport.Transport;

class IoUringHttp2SocketTests extends Http2SocketTests {

	@Override
	protected Transport transport() {
		return Transport.IO_URING;
	}

}
