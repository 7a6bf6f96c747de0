package dev.capuchin.plugin.dirlisting;

import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * {@link DirListingSocketTests} on the native epoll transport.
 */
@EnabledOnOs(OS.LINUX)
class EpollDirListingSocketTests extends DirListingSocketTests {

	@Override
	protected String transport() {
		return "epoll";
	}

}
