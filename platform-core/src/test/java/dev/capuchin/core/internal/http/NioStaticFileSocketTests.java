package dev.capuchin.core.internal.http;

/**
 * {@link StaticFileSocketTests} on the NIO transport.
 */
class NioStaticFileSocketTests extends StaticFileSocketTests {

	@Override
	protected String transport() {
		return "nio";
	}

}
