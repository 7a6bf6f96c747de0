package dev.capuchin.core.server;

import dev.capuchin.core.transport.Transport;

class EpollVirtualHostSocketTests extends VirtualHostSocketTests {

	@Override
	protected Transport transport() {
		return Transport.EPOLL;
	}

}
