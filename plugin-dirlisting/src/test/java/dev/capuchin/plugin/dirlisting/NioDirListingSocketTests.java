package dev.capuchin.plugin.dirlisting;

/**
 * {@link DirListingSocketTests} on the NIO transport.
 */
class NioDirListingSocketTests extends DirListingSocketTests {

	@Override
	protected String transport() {
		return "nio";
	}

}
