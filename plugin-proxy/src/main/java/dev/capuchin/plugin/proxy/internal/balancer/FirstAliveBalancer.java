package dev.capuchin.plugin.proxy.internal.balancer;

import java.util.List;

/**
 * {@code first-alive}: the first available server in list order. As Monkey's, with the
 * difference that a server offline after failures is skipped without a connect attempt.
 */
final class FirstAliveBalancer implements Balancer {

	@Override
	public int choose(List<Candidate> candidates, long hash) {
		return 0;
	}

}
