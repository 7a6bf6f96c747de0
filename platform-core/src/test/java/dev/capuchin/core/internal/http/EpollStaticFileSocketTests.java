package dev.capuchin.core.internal.http;

import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * {@link StaticFileSocketTests} on the native epoll transport.
 */
@EnabledOnOs(OS.LINUX)
class EpollStaticFileSocketTests extends StaticFileSocketTests {

	@Override
	protected String transport() {
		return "epoll";
	}

}
