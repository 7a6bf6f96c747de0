package dev.capuchin.core.internal.server;

class NioDirectAnswerSocketTests extends DirectAnswerSocketTests {

	@Override
	protected String transport() {
		return "nio";
	}

}
