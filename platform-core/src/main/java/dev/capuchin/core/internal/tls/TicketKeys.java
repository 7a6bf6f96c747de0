package dev.capuchin.core.internal.tls;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

import io.netty.handler.ssl.OpenSslSessionTicketKey;
import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.netty.handler.ssl.SslContext;

/**
 * The session-ticket keys of every OpenSSL context of a node: made at start, replaced by
 * {@link #rotate()} on a schedule, and set on every context, so that a ticket one worker
 * issued resumes on any other, and under any certificate's context. The newest key
 * encrypts new tickets; the one before it still decrypts, so a ticket lives between one
 * and two rotation periods. Keys live in memory only and are never logged.
 * <p>
 * The JDK's engine manages its own stateless-ticket keys per JVM; nothing to set there.
 */
final class TicketKeys {

	/** The keys kept: the current one and the previous one. */
	private static final int KEPT = 2;

	private final SecureRandom random = new SecureRandom();

	private final Set<ReferenceCountedOpenSslContext> contexts = new CopyOnWriteArraySet<>();

	private volatile List<OpenSslSessionTicketKey> keys = List.of();

	TicketKeys() {
		rotate();
	}

	/**
	 * Put the current keys on a context, and keep it for later rotations.
	 * @param context a server context of any engine
	 */
	void register(SslContext context) {
		if (context instanceof ReferenceCountedOpenSslContext openSsl) {
			this.contexts.add(openSsl);
			apply(openSsl, this.keys);
		}
	}

	/**
	 * Stop rotating a context's keys (it was replaced by a reload).
	 * @param context the context
	 */
	void unregister(SslContext context) {
		this.contexts.remove(context);
	}

	/** Make a new current key, keep the previous one for decryption, drop the rest. */
	synchronized void rotate() {
		List<OpenSslSessionTicketKey> next = new ArrayList<>(KEPT);
		next.add(newKey());
		List<OpenSslSessionTicketKey> current = this.keys;
		for (int i = 0; i < current.size() && next.size() < KEPT; i++) {
			next.add(current.get(i));
		}
		this.keys = List.copyOf(next);
		for (ReferenceCountedOpenSslContext context : this.contexts) {
			apply(context, this.keys);
		}
	}

	/**
	 * The names of the keys in use, newest first (the names go out in tickets; the keys
	 * never do).
	 * @return the key names
	 */
	List<byte[]> names() {
		return this.keys.stream().map(OpenSslSessionTicketKey::name).toList();
	}

	private OpenSslSessionTicketKey newKey() {
		byte[] name = new byte[OpenSslSessionTicketKey.NAME_SIZE];
		byte[] hmac = new byte[OpenSslSessionTicketKey.HMAC_KEY_SIZE];
		byte[] aes = new byte[OpenSslSessionTicketKey.AES_KEY_SIZE];
		this.random.nextBytes(name);
		this.random.nextBytes(hmac);
		this.random.nextBytes(aes);
		return new OpenSslSessionTicketKey(name, hmac, aes);
	}

	private static void apply(ReferenceCountedOpenSslContext context, List<OpenSslSessionTicketKey> keys) {
		context.sessionContext().setTicketKeys(keys.toArray(new OpenSslSessionTicketKey[0]));
	}

}
