package dev.capuchin.plugin.auth;

import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * {@link AuthSocketTests} on the native epoll transport.
 */
@EnabledOnOs(OS.LINUX)
class EpollAuthSocketTests extends AuthSocketTests {

	@Override
	protected String transport() {
		return "epoll";
	}

}
