package dev.capuchin.core.internal.server;

import dev.capuchin.core.internal.transport.Transport;

class IoUringVirtualHostSocketTests extends VirtualHostSocketTests {

	@Override
	protected Transport transport() {
		return Transport.IO_URING;
	}

}
