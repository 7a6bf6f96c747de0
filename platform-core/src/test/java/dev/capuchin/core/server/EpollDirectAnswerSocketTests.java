package dev.capuchin.core.server;

class EpollDirectAnswerSocketTests extends DirectAnswerSocketTests {

	@Override
	protected String transport() {
		return "epoll";
	}

}
