package dev.capuchin.core.testing;

import java.util.Set;

import dev.capuchin.core.spi.Exchange;
import dev.capuchin.core.spi.Plugin;
import dev.capuchin.core.spi.RequestResult;
import dev.capuchin.core.spi.Stage;
import reactor.core.publisher.Mono;

/**
 * A {@code REQUEST} plugin for tests of authentication: it answers the user an earlier
 * plugin authenticated ({@link Exchange#USER}) in the response header {@code X-User}, so
 * a test over a raw socket sees which identity a request was given. Register it after the
 * plugin under test.
 */
public final class UserHeader implements Plugin {

	/** The response header that names the user. */
	public static final String HEADER = "X-User";

	@Override
	public String name() {
		return "user-header";
	}

	@Override
	public Set<Stage> stages() {
		return Set.of(Stage.REQUEST);
	}

	@Override
	public Mono<RequestResult> onRequest(Exchange exchange) {
		String user = exchange.attribute(Exchange.USER);
		if (user != null) {
			exchange.response().header(HEADER, user);
		}
		return CONTINUE;
	}

}
