package dev.capuchin.core.internal.server;

class EpollDirectAnswerSocketTests extends DirectAnswerSocketTests {

	@Override
	protected String transport() {
		return "epoll";
	}

}
