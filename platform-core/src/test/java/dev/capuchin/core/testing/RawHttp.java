package dev.capuchin.core.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A raw HTTP/1.x client over a plain socket: writes exact request bytes and parses
 * responses by hand, so tests see precisely what the server put on the wire.
 */
public final class RawHttp implements AutoCloseable {

	private final Socket socket;

	private final InputStream in;

	private final OutputStream out;

	private RawHttp(Socket socket) throws IOException {
		this.socket = socket;
		this.in = socket.getInputStream();
		this.out = socket.getOutputStream();
	}

	public static RawHttp connect(InetSocketAddress address) throws IOException {
		return connect(address, null);
	}

	public static RawHttp connect(InetSocketAddress address, InetSocketAddress from) throws IOException {
		Socket socket = new Socket();
		if (from != null) {
			socket.bind(from);
		}
		socket.connect(address, 5000);
		socket.setSoTimeout(10_000);
		return new RawHttp(socket);
	}

	public static RawHttp over(Socket socket) throws IOException {
		socket.setSoTimeout(10_000);
		return new RawHttp(socket);
	}

	public RawHttp send(String request) throws IOException {
		this.out.write(request.getBytes(StandardCharsets.ISO_8859_1));
		this.out.flush();
		return this;
	}

	public Response exchange(String request) throws IOException {
		send(request);
		return read();
	}

	public Response read() throws IOException {
		return read(false);
	}

	public Response readHead() throws IOException {
		return read(true);
	}

	private Response read(boolean headOnly) throws IOException {
		String statusLine = line();
		if (statusLine == null) {
			throw new IOException("connection closed before a response");
		}
		Map<String, List<String>> headers = new LinkedHashMap<>();
		String line;
		while ((line = line()) != null && !line.isEmpty()) {
			int colon = line.indexOf(':');
			headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), (k) -> new ArrayList<>())
				.add(line.substring(colon + 1).trim());
		}
		String[] parts = statusLine.split(" ", 3);
		int status = Integer.parseInt(parts[1]);
		byte[] body = new byte[0];
		boolean noBody = headOnly || status == 204 || status == 304 || (status >= 100 && status < 200);
		if (!noBody) {
			List<String> length = headers.get("content-length");
			List<String> encoding = headers.get("transfer-encoding");
			if (length != null) {
				body = this.in.readNBytes(Integer.parseInt(length.get(0)));
			}
			else if (encoding != null && encoding.get(0).equalsIgnoreCase("chunked")) {
				body = chunked();
			}
			else {
				body = this.in.readAllBytes();
			}
		}
		return new Response(statusLine, status, headers, body);
	}

	private byte[] chunked() throws IOException {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		while (true) {
			String size = line();
			int n = Integer.parseInt(size.split(";")[0].trim(), 16);
			if (n == 0) {
				while (!line().isEmpty()) {
					// trailers
				}
				return body.toByteArray();
			}
			body.write(this.in.readNBytes(n));
			line();
		}
	}

	private String line() throws IOException {
		ByteArrayOutputStream buffer = new ByteArrayOutputStream();
		int c;
		while ((c = this.in.read()) != -1) {
			if (c == '\n') {
				byte[] bytes = buffer.toByteArray();
				int length = (bytes.length > 0 && bytes[bytes.length - 1] == '\r') ? bytes.length - 1 : bytes.length;
				return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
			}
			buffer.write(c);
		}
		return (buffer.size() == 0) ? null : buffer.toString(StandardCharsets.ISO_8859_1);
	}

	/**
	 * Whether the server closed the connection (reads end of stream within the timeout).
	 */
	public boolean isClosedByServer(int timeoutMillis) throws IOException {
		int previous = this.socket.getSoTimeout();
		this.socket.setSoTimeout(timeoutMillis);
		try {
			return this.in.read() == -1;
		}
		catch (SocketTimeoutException ex) {
			return false;
		}
		catch (IOException ex) {
			return true;
		}
		finally {
			if (!this.socket.isClosed()) {
				this.socket.setSoTimeout(previous);
			}
		}
	}

	public Socket socket() {
		return this.socket;
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	/**
	 * Send a {@code GET} of a path on host {@code localhost} over this connection, kept
	 * alive, with one request header when its value is given, and read the response: what
	 * a keep-alive client repeating (or changing) a credential sends.
	 * @param path the path
	 * @param header the header's name, such as {@code Cookie} or {@code Authorization}
	 * @param value the header's value, or {@code null} for none
	 * @return the response
	 * @throws IOException when the connection fails
	 */
	public Response get(String path, String header, String value) throws IOException {
		return exchange("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n"
				+ ((value != null) ? header + ": " + value + "\r\n" : "") + "\r\n");
	}

	public static String get(String path, String host) {
		return "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n";
	}

	public record Response(String statusLine, int status, Map<String, List<String>> headers, byte[] body) {

		public String header(String name) {
			List<String> values = this.headers.get(name.toLowerCase(Locale.ROOT));
			return (values != null) ? values.get(0) : null;
		}

		public String text() {
			return new String(this.body, StandardCharsets.UTF_8);
		}

	}

}
