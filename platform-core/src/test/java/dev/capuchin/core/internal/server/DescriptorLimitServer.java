package dev.capuchin.core.internal.server;

import java.nio.file.Path;

import ch.qos.logback.classic.Level;
import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.testing.KernelFixture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel in a process of its own, for {@link DescriptorLimitTests}: a descriptor
 * limit lowered on it must not touch the test's own process. Prints {@code port <n>} once
 * it listens and stops when its standard input ends.
 */
public final class DescriptorLimitServer {

	private DescriptorLimitServer() {
	}

	/**
	 * Start the kernel.
	 * @param args the working directory and the transport's name
	 * @throws Exception when the kernel does not start
	 */
	public static void main(String[] args) throws Exception {
		((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.INFO);
		try (KernelFixture kernel = KernelFixture.builder(Path.of(args[0]))
			.transport(Transport.valueOf(args[1]))
			.workers(1)
			.file("a.txt", "static")
			.start()) {
			System.out.println("port " + kernel.port());
			System.out.flush();
			while (System.in.read() >= 0) {
				// until the test closes the pipe
			}
		}
	}

}
