package dev.capuchin.core.internal.server;

import java.time.Duration;
import java.util.Objects;

import reactor.netty.http.Http2SettingsSpec;

/**
 * The limits an HTTP/2 connection is held to, on top of {@link Limits} (whose
 * {@code maxHeaderSize} is also the connection's {@code SETTINGS_MAX_HEADER_LIST_SIZE}).
 * Each stops a way one connection could exhaust the node; the attacker's connection is
 * closed with {@code GOAWAY}, every other connection goes on.
 * <p>
 * What Netty enforces without a setting here: a peer that does not read the
 * acknowledgements of its SETTINGS and PING frames is closed once 10,000 of them are
 * queued (SETTINGS and PING floods), and a block of HEADERS and CONTINUATION frames is a
 * connection error once it grows past a quarter more than the header list size
 * (CONTINUATION flood).
 *
 * @param maxConcurrentStreams {@code SETTINGS_MAX_CONCURRENT_STREAMS}: streams one
 * connection may have open at once; more are refused with {@code RST_STREAM} (stops one
 * connection from holding thousands of requests)
 * @param initialWindowSize {@code SETTINGS_INITIAL_WINDOW_SIZE}: bytes of request body a
 * client may send on a stream before the server reads them (bounds the memory a stream's
 * unread body takes)
 * @param maxFrameSize {@code SETTINGS_MAX_FRAME_SIZE}: largest frame payload the server
 * accepts; larger is a connection error
 * @param headerTableSize {@code SETTINGS_HEADER_TABLE_SIZE}: bytes of the HPACK dynamic
 * table the client may make the server keep per connection
 * @param maxResetsPerWindow {@code RST_STREAM} frames a client may send within
 * {@code resetWindow}; one more closes the connection with {@code GOAWAY} (stops the
 * rapid-reset flood, CVE-2023-44487, where streams are opened and cancelled at once so
 * that the concurrent-stream limit never bites)
 * @param resetWindow the window {@code maxResetsPerWindow} is counted in
 */
public record Http2Limits(int maxConcurrentStreams, int initialWindowSize, int maxFrameSize, int headerTableSize,
		int maxResetsPerWindow, Duration resetWindow) {

	/** Default concurrent streams per connection: 100 (nginx has 128, Go 250). */
	public static final int DEFAULT_MAX_CONCURRENT_STREAMS = 100;

	/** Default initial stream window: 64 KiB less one byte, the protocol's default. */
	public static final int DEFAULT_INITIAL_WINDOW_SIZE = 65_535;

	/** Default largest frame payload: 16 KiB, the protocol's smallest maximum. */
	public static final int DEFAULT_MAX_FRAME_SIZE = 16_384;

	/** Default HPACK dynamic table: 4 KiB, the protocol's default. */
	public static final int DEFAULT_HEADER_TABLE_SIZE = 4096;

	/** Default resets per window: 200, Netty's default for servers. */
	public static final int DEFAULT_MAX_RESETS_PER_WINDOW = 200;

	/** Default reset window in seconds: 30. */
	public static final int DEFAULT_RESET_WINDOW_SECONDS = 30;

	/** The defaults. */
	public static final Http2Limits DEFAULTS = new Http2Limits(DEFAULT_MAX_CONCURRENT_STREAMS,
			DEFAULT_INITIAL_WINDOW_SIZE, DEFAULT_MAX_FRAME_SIZE, DEFAULT_HEADER_TABLE_SIZE,
			DEFAULT_MAX_RESETS_PER_WINDOW, Duration.ofSeconds(DEFAULT_RESET_WINDOW_SECONDS));

	private static final int MAX_WINDOW_SIZE = Integer.MAX_VALUE;

	private static final int MIN_FRAME_SIZE = 16_384;

	private static final int MAX_FRAME_SIZE = 16_777_215;

	public Http2Limits {
		range("max-concurrent-streams", maxConcurrentStreams, 1, Integer.MAX_VALUE);
		range("initial-window-size", initialWindowSize, 1, MAX_WINDOW_SIZE);
		range("max-frame-size", maxFrameSize, MIN_FRAME_SIZE, MAX_FRAME_SIZE);
		range("header-table-size", headerTableSize, 0, Integer.MAX_VALUE);
		range("max-resets-per-window", maxResetsPerWindow, 1, Integer.MAX_VALUE);
		Objects.requireNonNull(resetWindow, "resetWindow");
		if (resetWindow.toSeconds() < 1 || resetWindow.toSeconds() > Integer.MAX_VALUE) {
			throw new IllegalArgumentException(
					"capuchin.server.limits.http2.reset-window: " + resetWindow + " (expected: whole seconds >= 1s)");
		}
	}

	/**
	 * Apply these limits to the settings of a listener's HTTP/2 connections.
	 * @param spec the builder of Reactor Netty's HTTP/2 settings
	 * @param maxHeaderListSize the largest header list, in bytes (the HTTP/1.x header
	 * block limit, so that both protocols accept the same requests)
	 */
	public void configure(Http2SettingsSpec.Builder spec, int maxHeaderListSize) {
		spec.maxConcurrentStreams(this.maxConcurrentStreams)
			.initialWindowSize(this.initialWindowSize)
			.maxFrameSize(this.maxFrameSize)
			.headerTableSize(this.headerTableSize)
			.maxHeaderListSize(maxHeaderListSize)
			.maxDecodedRstFramesPerWindow(this.maxResetsPerWindow, (int) this.resetWindow.toSeconds());
	}

	private static void range(String key, long value, long min, long max) {
		if (value < min || value > max) {
			throw new IllegalArgumentException(
					"capuchin.server.limits.http2." + key + ": " + value + " (expected: " + min + ".." + max + ")");
		}
	}

}
