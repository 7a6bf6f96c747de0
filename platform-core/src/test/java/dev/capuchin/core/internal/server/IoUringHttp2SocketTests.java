package dev.capuchin.core.internal.server;

import dev.capuchin.core.internal.transport.Transport;

class IoUringHttp2SocketTests extends Http2SocketTests {

	@Override
	protected Transport transport() {
		return Transport.IO_URING;
	}

}
