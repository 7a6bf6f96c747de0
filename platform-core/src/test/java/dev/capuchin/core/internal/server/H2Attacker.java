package dev.capuchin.core.internal.server;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;

/**
 * A hostile HTTP/2 client over a real socket: it writes frames exactly as a test crafts
 * them (including sequences a well-behaved client never sends) with Netty's HPACK encoder
 * for the header blocks, and a reader thread records every frame the server sends until
 * the server closes the connection.
 */
final class H2Attacker implements AutoCloseable {

	static final int DATA = 0x0;

	static final int HEADERS = 0x1;

	static final int RST_STREAM = 0x3;

	static final int SETTINGS = 0x4;

	static final int GOAWAY = 0x7;

	static final int CONTINUATION = 0x9;

	static final int END_STREAM = 0x1;

	static final int END_HEADERS = 0x4;

	/** {@code ENHANCE_YOUR_CALM}: the error code of a flood. */
	static final long ENHANCE_YOUR_CALM = 0xb;

	private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

	private final Socket socket;

	private final OutputStream out;

	private final List<Frame> received = new CopyOnWriteArrayList<>();

	private final AtomicBoolean closedByServer = new AtomicBoolean();

	private final DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();

	private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);

	private final Map<Integer, Integer> statuses = new ConcurrentHashMap<>();

	private final Thread reader;

	private H2Attacker(Socket socket) throws IOException {
		this.socket = socket;
		this.out = socket.getOutputStream();
		DataInputStream in = new DataInputStream(socket.getInputStream());
		this.reader = new Thread(() -> read(in), "h2-attacker-reader");
		this.reader.setDaemon(true);
		this.reader.start();
		this.out.write(PREFACE);
		frame(SETTINGS, 0, 0, new byte[0]);
	}

	/**
	 * Open an h2c connection by prior knowledge.
	 * @param address the server
	 * @return the attacker, past the preface and its empty SETTINGS
	 * @throws IOException if the connection fails
	 */
	static H2Attacker connect(InetSocketAddress address) throws IOException {
		Socket socket = new Socket();
		socket.connect(address, 5000);
		socket.setSoTimeout(30_000);
		return new H2Attacker(socket);
	}

	/**
	 * Speak h2 over a socket that negotiated it by ALPN.
	 * @param socket the connected TLS socket
	 * @return the attacker, past the preface and its empty SETTINGS
	 * @throws IOException if the connection fails
	 */
	static H2Attacker over(Socket socket) throws IOException {
		socket.setSoTimeout(30_000);
		return new H2Attacker(socket);
	}

	/** The header block of {@code GET path} for {@code localhost}. */
	byte[] get(int streamId, String path) throws Http2Exception {
		Http2Headers headers = new DefaultHttp2Headers().method("GET").scheme("http").authority("localhost").path(path);
		return encode(streamId, headers);
	}

	/** A header block of one made-up field, for padding header lists out. */
	byte[] filler(int streamId, int index, int valueLength) throws Http2Exception {
		Http2Headers headers = new DefaultHttp2Headers(false).add("x-filler-" + index, "a".repeat(valueLength));
		return encode(streamId, headers);
	}

	private byte[] encode(int streamId, Http2Headers headers) throws Http2Exception {
		ByteBuf buffer = Unpooled.buffer();
		try {
			this.encoder.encodeHeaders(streamId, headers, buffer);
			byte[] bytes = new byte[buffer.readableBytes()];
			buffer.readBytes(bytes);
			return bytes;
		}
		finally {
			buffer.release();
		}
	}

	/** {@code RST_STREAM} with {@code CANCEL}, as a client that changed its mind. */
	void reset(int streamId) throws IOException {
		frame(RST_STREAM, 0, streamId, new byte[] { 0, 0, 0, 0x8 });
	}

	/**
	 * Write one frame.
	 * @return whether it was written; {@code false} once the server has closed
	 */
	boolean frame(int type, int flags, int streamId, byte[] payload) throws IOException {
		byte[] frame = new byte[9 + payload.length];
		frame[0] = (byte) (payload.length >>> 16);
		frame[1] = (byte) (payload.length >>> 8);
		frame[2] = (byte) payload.length;
		frame[3] = (byte) type;
		frame[4] = (byte) flags;
		frame[5] = (byte) (streamId >>> 24 & 0x7f);
		frame[6] = (byte) (streamId >>> 16);
		frame[7] = (byte) (streamId >>> 8);
		frame[8] = (byte) streamId;
		System.arraycopy(payload, 0, frame, 9, payload.length);
		try {
			this.out.write(frame);
			return true;
		}
		catch (IOException ex) {
			// the server closed the connection: what a flood should end in
			return false;
		}
	}

	/** The frames received so far. */
	List<Frame> received() {
		return this.received;
	}

	/** Whether the server has closed the connection (end of stream or reset). */
	boolean isClosedByServer() {
		return this.closedByServer.get();
	}

	/** The first {@code GOAWAY}'s error code, or -1 for none yet. */
	long goAwayError() {
		return this.received.stream()
			.filter((frame) -> frame.type() == GOAWAY)
			.mapToLong((frame) -> readInt(frame.payload(), 4) & 0xffffffffL)
			.findFirst()
			.orElse(-1);
	}

	/** The {@code :status} of the response on a stream, or -1 for none yet. */
	int status(int streamId) {
		return this.statuses.getOrDefault(streamId, -1);
	}

	/** The server's first SETTINGS frame as identifier to value. */
	Map<Integer, Long> serverSettings() {
		Map<Integer, Long> settings = new LinkedHashMap<>();
		this.received.stream()
			.filter((frame) -> frame.type() == SETTINGS && (frame.flags() & 0x1) == 0)
			.findFirst()
			.ifPresent((frame) -> {
				for (int i = 0; i + 6 <= frame.payload().length; i += 6) {
					int id = ((frame.payload()[i] & 0xff) << 8) | (frame.payload()[i + 1] & 0xff);
					settings.put(id, readInt(frame.payload(), i + 2) & 0xffffffffL);
				}
			});
		return settings;
	}

	private void read(DataInputStream in) {
		try {
			while (true) {
				byte[] header = new byte[9];
				in.readFully(header);
				int length = ((header[0] & 0xff) << 16) | ((header[1] & 0xff) << 8) | (header[2] & 0xff);
				byte[] payload = new byte[length];
				in.readFully(payload);
				Frame frame = new Frame(header[3] & 0xff, header[4] & 0xff, readInt(header, 5) & 0x7fffffff, payload);
				if (frame.type() == HEADERS) {
					// decoded in order, as HPACK's dynamic table requires
					Http2Headers headers = this.decoder.decodeHeaders(frame.streamId(),
							Unpooled.wrappedBuffer(payload));
					this.statuses.put(frame.streamId(), Integer.parseInt(headers.status().toString()));
				}
				this.received.add(frame);
			}
		}
		catch (EOFException ex) {
			this.closedByServer.set(true);
		}
		catch (Http2Exception ex) {
			throw new IllegalStateException("undecodable response headers", ex);
		}
		catch (IOException ex) {
			// a reset after the server closed, or the socket closed by this side
			this.closedByServer.set(!this.socket.isClosed());
		}
	}

	private static int readInt(byte[] bytes, int offset) {
		return ((bytes[offset] & 0xff) << 24) | ((bytes[offset + 1] & 0xff) << 16) | ((bytes[offset + 2] & 0xff) << 8)
				| (bytes[offset + 3] & 0xff);
	}

	/** Wait for the reader to see the end of the connection. */
	void awaitEnd(Duration timeout) throws InterruptedException {
		this.reader.join(timeout.toMillis());
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	/** One frame as received. */
	record Frame(int type, int flags, int streamId, byte[] payload) {
	}

}
