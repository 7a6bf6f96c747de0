package dev.capuchin.app.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.security.crypto.encrypt.AesBytesEncryptor;
import org.springframework.security.crypto.encrypt.BytesEncryptor;
import org.springframework.security.crypto.keygen.KeyGenerators;

/**
 * The key that encrypts the signing keys at rest: 32 random bytes, Base64, from the
 * environment ({@value #ENVIRONMENT_VARIABLE}) or from a key file that is created with
 * mode 0600 when absent. Every node of a cluster needs the same master key; losing it
 * loses the signing keys (new ones can be made, but every token signed so far stops
 * verifying), so the file must be backed up. Encryption is Spring Security Crypto's
 * AES-GCM, never a hand-made cipher.
 */
public final class MasterKey {

	/** The environment variable that holds the master key, Base64. */
	public static final String ENVIRONMENT_VARIABLE = "CAPUCHIN_MASTER_KEY";

	private static final Logger logger = LoggerFactory.getLogger(MasterKey.class);

	private static final int KEY_BYTES = 32;

	private final BytesEncryptor encryptor;

	private final byte[] key;

	private MasterKey(byte[] key) {
		this.key = key.clone();
		SecretKey secret = new SecretKeySpec(key, "AES");
		// a fresh 16-byte IV per encryption, stored in front of the cipher text
		this.encryptor = new AesBytesEncryptor(secret, KeyGenerators.secureRandom(16),
				AesBytesEncryptor.CipherAlgorithm.GCM);
	}

	/**
	 * The master key from the environment value when set, else from the file (made when
	 * absent).
	 * @param configured the environment value, or blank
	 * @param file the key file
	 * @return the master key
	 */
	public static MasterKey load(String configured, Path file) {
		if (configured != null && !configured.isBlank()) {
			return new MasterKey(decode(configured.trim(), ENVIRONMENT_VARIABLE));
		}
		try {
			if (Files.exists(file)) {
				return new MasterKey(decode(Files.readString(file, StandardCharsets.US_ASCII).trim(), file.toString()));
			}
			byte[] key = KeyGenerators.secureRandom(KEY_BYTES).generateKey();
			create(file, Base64.getEncoder().encodeToString(key) + "\n");
			logger.warn(
					"\n\n    Created the master key file {} (mode 0600): it encrypts the identity signing keys.\n"
							+ "    Back it up, and give every node the same file or {}.\n",
					file.toAbsolutePath(), ENVIRONMENT_VARIABLE);
			return new MasterKey(key);
		}
		catch (FileAlreadyExistsException ex) {
			// another node or process created it first: use theirs
			return load(null, file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("master key file " + file + ": " + ex.getMessage(), ex);
		}
	}

	private static void create(Path file, String content) throws IOException {
		Path parent = file.toAbsolutePath().getParent();
		if (parent != null) {
			Files.createDirectories(parent);
		}
		if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
			Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		}
		else {
			Files.createFile(file);
		}
		Files.writeString(file, content, StandardCharsets.US_ASCII);
	}

	private static byte[] decode(String value, String source) {
		byte[] key;
		try {
			key = Base64.getDecoder().decode(value);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException(source + ": not Base64 (expected: 32 random bytes, Base64)");
		}
		if (key.length != KEY_BYTES) {
			throw new IllegalStateException(
					source + ": " + key.length + " bytes (expected: " + KEY_BYTES + " random bytes, Base64)");
		}
		return key;
	}

	/**
	 * Encrypt.
	 * @param plain what to encrypt
	 * @return the IV and the cipher text with its tag, Base64
	 */
	public String encrypt(String plain) {
		return Base64.getEncoder().encodeToString(this.encryptor.encrypt(plain.getBytes(StandardCharsets.UTF_8)));
	}

	/**
	 * A key derived from the master key for one purpose (HKDF-SHA256, RFC 5869, without
	 * salt): every node with the same master key derives the same key, so nothing new is
	 * stored. Neither Nimbus JOSE nor Spring Security Crypto offers HKDF, and Java 17 has
	 * no KDF API: Bouncy Castle's generator (already here for OCSP) does it.
	 * @param info what the key is for, such as {@code capuchin openid session corp}
	 * @return 32 bytes
	 */
	public byte[] derive(String info) {
		return hkdf(this.key, info.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * HKDF-SHA256 without salt, 32 bytes of output.
	 * @param keyMaterial the input key material
	 * @param info the context
	 * @return the first 32 bytes of the output key material
	 */
	static byte[] hkdf(byte[] keyMaterial, byte[] info) {
		HKDFBytesGenerator generator = new HKDFBytesGenerator(new SHA256Digest());
		// no salt: RFC 5869 then uses a block of zeros, as every node does
		generator.init(new HKDFParameters(keyMaterial, null, info));
		byte[] derived = new byte[KEY_BYTES];
		generator.generateBytes(derived, 0, derived.length);
		return derived;
	}

	/**
	 * Decrypt what {@link #encrypt(String)} made with the same key.
	 * @param encrypted the IV and the cipher text, Base64
	 * @return the plain text
	 * @throws IllegalStateException when the key is not the one it was encrypted with
	 */
	public String decrypt(String encrypted) {
		try {
			return new String(this.encryptor.decrypt(Base64.getDecoder().decode(encrypted)), StandardCharsets.UTF_8);
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("a signing key does not decrypt with this master key (was "
					+ ENVIRONMENT_VARIABLE + " or the key file changed?)", ex);
		}
	}

}
