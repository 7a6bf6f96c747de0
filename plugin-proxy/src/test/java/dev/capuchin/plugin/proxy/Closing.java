package dev.capuchin.plugin.proxy;

import java.util.ArrayDeque;
import java.util.Deque;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a proxy test opens — its backends, raw servers and nodes — closed after each test
 * in the reverse order of opening, so a node stops before the backends it proxies to. A
 * node a test has stopped itself is stopped again without effect.
 */
final class Closing implements AfterEachCallback {

	private final Deque<AutoCloseable> opened = new ArrayDeque<>();

	/**
	 * Close this after the test.
	 * @param <T> its type
	 * @param closeable what the test opened
	 * @return the same, for use in an assignment
	 */
	<T extends AutoCloseable> T add(T closeable) {
		this.opened.push(closeable);
		return closeable;
	}

	@Override
	public void afterEach(ExtensionContext context) throws Exception {
		Exception first = null;
		AutoCloseable next;
		while ((next = this.opened.poll()) != null) {
			try {
				next.close();
			}
			catch (Exception ex) {
				if (first == null) {
					first = ex;
				}
				else {
					first.addSuppressed(ex);
				}
			}
		}
		if (first != null) {
			throw first;
		}
	}

}
