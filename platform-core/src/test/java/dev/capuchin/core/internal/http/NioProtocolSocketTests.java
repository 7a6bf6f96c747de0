package dev.capuchin.core.internal.http;

/**
 * {@link ProtocolSocketTests} on the NIO transport.
 */
class NioProtocolSocketTests extends ProtocolSocketTests {

	@Override
	protected String transport() {
		return "nio";
	}

}
