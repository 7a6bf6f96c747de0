package dev.capuchin.core.server;

import dev.capuchin.core.transport.Transport;

class NioTlsSocketTests extends TlsSocketTests {

	@Override
	protected Transport transport() {
		return Transport.NIO;
	}

}
