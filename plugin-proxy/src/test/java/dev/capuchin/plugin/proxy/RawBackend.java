package dev.capuchin.plugin.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A misbehaving server on a plain socket: it reads a request's head, then does one bad
 * thing.
 */
final class RawBackend implements AutoCloseable {

	enum Mode {

		/** Close with a reset (SO_LINGER 0) before answering. */
		RESET,

		/** Send the head and part of the body, then close. */
		DIE_MID_RESPONSE,

		/** Never answer. */
		SILENT

	}

	final AtomicInteger accepted = new AtomicInteger();

	private final ServerSocket server;

	private final Thread thread;

	RawBackend(Mode mode) throws IOException {
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		this.thread = new Thread(() -> serve(mode), "raw-backend");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	String url() {
		return "http://127.0.0.1:" + this.server.getLocalPort();
	}

	private void serve(Mode mode) {
		while (!this.server.isClosed()) {
			try {
				Socket socket = this.server.accept();
				this.accepted.incrementAndGet();
				readHead(socket.getInputStream());
				OutputStream out = socket.getOutputStream();
				switch (mode) {
					case RESET -> {
						socket.setSoLinger(true, 0);
						socket.close();
					}
					case DIE_MID_RESPONSE -> {
						out.write("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n0123456789"
							.getBytes(StandardCharsets.US_ASCII));
						out.flush();
						socket.setSoLinger(true, 0);
						socket.close();
					}
					case SILENT -> {
						// held open until the proxy gives up
					}
				}
			}
			catch (IOException ex) {
				// closed
			}
		}
	}

	private static void readHead(InputStream in) throws IOException {
		int state = 0;
		while (state < 4) {
			int b = in.read();
			if (b < 0) {
				return;
			}
			state = ((state % 2 == 0 && b == '\r') || (state % 2 == 1 && b == '\n')) ? state + 1 : 0;
		}
	}

	@Override
	public void close() throws IOException {
		this.server.close();
	}

}
