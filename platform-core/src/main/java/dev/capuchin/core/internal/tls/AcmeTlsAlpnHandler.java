package dev.capuchin.core.internal.tls;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

import dev.capuchin.core.spi.CertificateProvider;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslClientHelloHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers TLS-ALPN-01 validations (RFC 8737) on a TLS listener. It sits just before the
 * listener's SNI handler and reads the ClientHello without consuming it: a hello that
 * offers the ALPN protocol {@code acme-tls/1} for a name with a pending challenge gets
 * the challenge certificate, in place of the SNI handler, and its connection is closed
 * once the handshake is over, as the RFC asks; every other hello goes on to the SNI
 * handler untouched, and this handler leaves the pipeline either way. The challenge is
 * asked of the {@link CertificateProvider} off the event loop, only for hellos that offer
 * {@code acme-tls/1}, which browsers never do.
 */
public final class AcmeTlsAlpnHandler extends SslClientHelloHandler<SslContext> {

	/** The handler's name in the pipeline. */
	public static final String NAME = "capuchin.acmeTlsAlpn";

	/**
	 * How long the look-up of a challenge may take before the handshake goes on with the
	 * site's certificate: a store that hangs costs one validation, never a connection
	 * held open.
	 */
	static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(5);

	/**
	 * The longest ClientHello read (a hello carries a few hundred bytes, post-quantum key
	 * shares a few kilobytes): the bound of the SNI handler behind this one, so that no
	 * hello that handler takes is refused here, and what an unauthenticated peer can make
	 * a node buffer.
	 */
	static final int MAX_CLIENT_HELLO = 64 * 1024;

	private static final Logger logger = LoggerFactory.getLogger(AcmeTlsAlpnHandler.class);

	private static final int EXTENSION_SERVER_NAME = 0;

	private static final int EXTENSION_ALPN = 16;

	private static final byte[] ACME_TLS_1 = CertificateProvider.ACME_TLS_1.getBytes(StandardCharsets.US_ASCII);

	private final CertificateProvider provider;

	private final TlsContexts contexts;

	private final String sslHandlerName;

	/**
	 * A handler for one connection.
	 * @param provider where pending challenges are found
	 * @param contexts what builds the challenge's TLS context on the node's engine
	 * @param sslHandlerName the name of the SNI handler it stands in front of, which a
	 * challenge replaces
	 */
	public AcmeTlsAlpnHandler(CertificateProvider provider, TlsContexts contexts, String sslHandlerName) {
		super(MAX_CLIENT_HELLO);
		this.provider = provider;
		this.contexts = contexts;
		this.sslHandlerName = sslHandlerName;
	}

	@Override
	protected Future<SslContext> lookup(ChannelHandlerContext ctx, @Nullable ByteBuf clientHello) {
		String serverName = (clientHello != null) ? acmeTlsServerName(clientHello) : null;
		if (serverName == null) {
			return ctx.executor().newSucceededFuture(null);
		}
		Promise<SslContext> promise = ctx.executor().newPromise();
		this.provider.alpnChallenge(serverName)
			.map(this.contexts::alpnChallengeContext)
			.timeout(LOOKUP_TIMEOUT)
			.subscribe(promise::trySuccess, (error) -> {
				logger.warn("TLS-ALPN-01 challenge for {} from {}: {}", serverName, ctx.channel().remoteAddress(),
						error.toString());
				promise.trySuccess(null);
			}, () -> promise.trySuccess(null));
		return promise;
	}

	@Override
	protected void onLookupComplete(ChannelHandlerContext ctx, Future<SslContext> future) {
		SslContext challenge = future.getNow();
		ChannelPipeline pipeline = ctx.pipeline();
		if (challenge != null && pipeline.get(this.sslHandlerName) != null) {
			SslHandler handler = challenge.newHandler(ctx.alloc());
			pipeline.replace(this.sslHandlerName, this.sslHandlerName, handler);
			// RFC 8737, section 3: the server closes the connection once the handshake
			// with the challenge certificate is done; no request is ever served on it
			handler.handshakeFuture().addListener((done) -> ctx.channel().close());
		}
		// the ClientHello read so far goes on to the SNI handler or the challenge's
		pipeline.remove(this);
	}

	/**
	 * The SNI name of a ClientHello that offers {@code acme-tls/1} by ALPN.
	 * @param hello the ClientHello body, from its protocol version on
	 * @return the name in lower case, or {@code null} when the hello names none or does
	 * not offer {@code acme-tls/1}
	 */
	static @Nullable String acmeTlsServerName(ByteBuf hello) {
		try {
			// version (2), random (32), then session id, cipher suites and compression
			// methods, each with its length
			int offset = hello.readerIndex() + 34;
			offset += 1 + hello.getUnsignedByte(offset);
			offset += 2 + hello.getUnsignedShort(offset);
			offset += 1 + hello.getUnsignedByte(offset);
			int end = offset + 2 + hello.getUnsignedShort(offset);
			offset += 2;
			if (end > hello.writerIndex()) {
				return null;
			}
			String serverName = null;
			boolean acmeTls = false;
			while (offset + 4 <= end) {
				int type = hello.getUnsignedShort(offset);
				int length = hello.getUnsignedShort(offset + 2);
				offset += 4;
				if (offset + length > end) {
					return null;
				}
				if (type == EXTENSION_SERVER_NAME) {
					serverName = hostName(hello, offset, offset + length);
				}
				else if (type == EXTENSION_ALPN) {
					acmeTls = offers(hello, offset, offset + length);
				}
				offset += length;
			}
			return (acmeTls && serverName != null) ? serverName : null;
		}
		catch (IndexOutOfBoundsException ex) {
			// a malformed hello: the SNI handler and the engine refuse it their own way
			return null;
		}
	}

	// RFC 6066, section 3: a list of (type, name); type 0 is a host name
	private static @Nullable String hostName(ByteBuf hello, int offset, int end) {
		int position = offset + 2;
		while (position + 3 <= end) {
			int type = hello.getUnsignedByte(position);
			int length = hello.getUnsignedShort(position + 1);
			position += 3;
			if (position + length > end) {
				return null;
			}
			if (type == 0) {
				return hello.toString(position, length, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
			}
			position += length;
		}
		return null;
	}

	// RFC 7301, section 3.1: a list of length-prefixed protocol names
	private static boolean offers(ByteBuf hello, int offset, int end) {
		int position = offset + 2;
		while (position + 1 <= end) {
			int length = hello.getUnsignedByte(position);
			position += 1;
			if (position + length > end) {
				return false;
			}
			if (length == ACME_TLS_1.length) {
				boolean same = true;
				for (int i = 0; i < length && same; i++) {
					same = hello.getByte(position + i) == ACME_TLS_1[i];
				}
				if (same) {
					return true;
				}
			}
			position += length;
		}
		return false;
	}

}
