package dev.capuchin.core.internal.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Node ids ({@code capuchin.node.id}): what a proxy writes in {@code Via}, so an id is a
 * token (RFC 9110 {@code pseudonym}) of at most {@value #MAX_LENGTH} characters.
 */
public final class NodeIds {

	/** The longest id accepted. */
	public static final int MAX_LENGTH = 64;

	private NodeIds() {
	}

	/**
	 * An id for a node that sets none: the host name and six random hex digits, so two
	 * processes on one host differ.
	 * @return such as {@code web1-3fa9c2}
	 */
	public static String generate() {
		String host;
		try {
			host = InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			host = "capuchin";
		}
		String clean = host.replaceAll("[^A-Za-z0-9.-]", "");
		if (clean.isEmpty()) {
			clean = "capuchin";
		}
		byte[] random = new byte[3];
		new SecureRandom().nextBytes(random);
		String suffix = "-" + HexFormat.of().formatHex(random);
		if (clean.length() + suffix.length() > MAX_LENGTH) {
			clean = clean.substring(0, MAX_LENGTH - suffix.length());
		}
		return clean + suffix;
	}

	/**
	 * Check an id.
	 * @param id the id
	 * @return the id
	 * @throws IllegalArgumentException naming {@code capuchin.node.id}
	 */
	public static String check(String id) {
		if (id == null || id.isEmpty() || id.length() > MAX_LENGTH || !id.chars()
			.allMatch((c) -> Character.isLetterOrDigit(c) && c < 0x80 || c == '.' || c == '-' || c == '_')) {
			throw new IllegalArgumentException("capuchin.node.id: '" + id + "' (expected: 1.." + MAX_LENGTH
					+ " characters of letters, digits, '.', '-' and '_')");
		}
		return id;
	}

}
