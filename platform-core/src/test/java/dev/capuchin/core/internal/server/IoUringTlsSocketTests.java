package dev.capuchin.core.internal.server;

import dev.capuchin.core.internal.transport.Transport;

class IoUringTlsSocketTests extends TlsSocketTests {

	@Override
	protected Transport transport() {
		return Transport.IO_URING;
	}

}
