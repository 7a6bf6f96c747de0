package dev.capuchin.core.server;

import dev.capuchin.core.transport.Transport;

class EpollTlsSocketTests extends TlsSocketTests {

	@Override
	protected Transport transport() {
		return Transport.EPOLL;
	}

}
