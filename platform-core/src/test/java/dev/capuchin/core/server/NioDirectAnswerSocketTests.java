package dev.capuchin.core.server;

class NioDirectAnswerSocketTests extends DirectAnswerSocketTests {

	@Override
	protected String transport() {
		return "nio";
	}

}
