package dev.capuchin.core.internal.server;

import dev.capuchin.core.internal.transport.Transport;

class NioTlsSocketTests extends TlsSocketTests {

	@Override
	protected Transport transport() {
		return Transport.NIO;
	}

}
