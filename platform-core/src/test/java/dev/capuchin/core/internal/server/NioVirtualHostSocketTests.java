package dev.capuchin.core.internal.server;

import dev.capuchin.core.internal.transport.Transport;

class NioVirtualHostSocketTests extends VirtualHostSocketTests {

	@Override
	protected Transport transport() {
		return Transport.NIO;
	}

}
