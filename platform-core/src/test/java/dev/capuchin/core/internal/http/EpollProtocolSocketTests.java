package dev.capuchin.core.internal.http;

import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * {@link ProtocolSocketTests} on the native epoll transport.
 */
@EnabledOnOs(OS.LINUX)
class EpollProtocolSocketTests extends ProtocolSocketTests {

	@Override
	protected String transport() {
		return "epoll";
	}

}
