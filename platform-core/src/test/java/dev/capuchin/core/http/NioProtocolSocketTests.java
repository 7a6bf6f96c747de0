package dev.capuchin.core.http;

/**
 * {@link ProtocolSocketTests} on the NIO transport.
 */
class NioProtocolSocketTests extends ProtocolSocketTests {

	@Override
	protected String transport() {
		return "nio";
	}

}
