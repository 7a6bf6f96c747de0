package dev.capuchin.core.internal.server;

import dev.capuchin.core.internal.transport.Transport;

class EpollVirtualHostSocketTests extends VirtualHostSocketTests {

	@Override
	protected Transport transport() {
		return Transport.EPOLL;
	}

}
