package dev.capuchin.core.server;

import dev.capuchin.core.transport.Transport;

class IoUringVirtualHostSocketTests extends VirtualHostSocketTests {

	@Override
	protected Transport transport() {
		return Transport.IO_URING;
	}

}
