package dev.capuchin.plugin.auth;

/**
 * {@link AuthSocketTests} on the NIO transport.
 */
class NioAuthSocketTests extends AuthSocketTests {

	@Override
	protected String transport() {
		return "nio";
	}

}
