package dev.capuchin.core.server;

import dev.capuchin.core.transport.Transport;

class IoUringTlsSocketTests extends TlsSocketTests {

	@Override
	protected Transport transport() {
		return Transport.IO_URING;
	}

}
