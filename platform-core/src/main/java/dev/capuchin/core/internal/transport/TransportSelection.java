package dev.capuchin.core.internal.transport;

import java.util.Locale;
import java.util.Objects;

/**
 * The outcome of choosing a transport: the one that runs, and why it differs from the one
 * asked for, if it does.
 *
 * @param transport the transport that runs
 * @param requested what the configuration asked for ({@code auto} or a transport name)
 * @param fallbackReason why a native transport was not used, or {@code null}
 */
public record TransportSelection(Transport transport, String requested, String fallbackReason) {

	public TransportSelection {
		Objects.requireNonNull(transport, "transport");
		Objects.requireNonNull(requested, "requested");
	}

	/**
	 * Choose the transport for a configured value: {@code auto} takes epoll where it is
	 * available and NIO otherwise; a named native transport that is unavailable falls
	 * back to NIO with the reason.
	 * @param requested {@code auto}, {@code epoll}, {@code io-uring} or {@code nio}
	 * @return the selection
	 * @throws IllegalArgumentException for an unknown name
	 */
	public static TransportSelection select(String requested) {
		String name = (requested != null) ? requested.trim().toLowerCase(Locale.ROOT) : "auto";
		Transport wanted = switch (name) {
			case "auto", "epoll" -> Transport.EPOLL;
			case "io-uring", "io_uring", "iouring" -> Transport.IO_URING;
			case "nio" -> Transport.NIO;
			default -> throw new IllegalArgumentException(
					"capuchin.server.transport: '" + requested + "' (expected: auto, epoll, io-uring or nio)");
		};
		if (wanted.isAvailable()) {
			return new TransportSelection(wanted, name, null);
		}
		Throwable cause = wanted.unavailabilityCause().orElse(null);
		String reason = wanted.configName() + " unavailable: "
				+ ((cause != null) ? rootMessage(cause) : "unknown reason");
		return new TransportSelection(Transport.NIO, name, reason);
	}

	private static String rootMessage(Throwable cause) {
		Throwable root = cause;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return root.getClass().getSimpleName() + ": " + root.getMessage();
	}

}
