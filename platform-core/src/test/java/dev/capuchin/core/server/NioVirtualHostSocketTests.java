package dev.capuchin.core.server;

import dev.capuchin.core.transport.Transport;

class NioVirtualHostSocketTests extends VirtualHostSocketTests {

	@Override
	protected Transport transport() {
		return Transport.NIO;
	}

}
