package dev.capuchin.core.spi;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 that refuses what is not: malformed and overlong sequences and unpaired
 * surrogates are errors, never replaced, so that bytes from outside (request paths,
 * credentials, configuration files) mean exactly one text or nothing.
 */
public final class StrictUtf8 {

	private StrictUtf8() {
	}

	/**
	 * Decode bytes that must be UTF-8.
	 * @param bytes the bytes
	 * @return the text
	 * @throws CharacterCodingException when the bytes are not UTF-8
	 */
	public static String decode(byte[] bytes) throws CharacterCodingException {
		return decode(bytes, 0, bytes.length);
	}

	/**
	 * Decode a range of bytes that must be UTF-8.
	 * @param bytes the bytes
	 * @param offset where the range starts
	 * @param length its length
	 * @return the text
	 * @throws CharacterCodingException when the bytes are not UTF-8
	 */
	public static String decode(byte[] bytes, int offset, int length) throws CharacterCodingException {
		return StandardCharsets.UTF_8.newDecoder()
			.onMalformedInput(CodingErrorAction.REPORT)
			.onUnmappableCharacter(CodingErrorAction.REPORT)
			.decode(ByteBuffer.wrap(bytes, offset, length))
			.toString();
	}

}
