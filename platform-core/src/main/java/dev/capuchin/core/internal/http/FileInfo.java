package dev.capuchin.core.internal.http;

import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * A file ready to be answered with: what it is, and the validators and type its response
 * carries, formatted once.
 *
 * @param file the file
 * @param size its size in bytes
 * @param modified its modification time in milliseconds
 * @param contentType the {@code Content-Type} of the file asked for (a precompressed
 * sibling keeps the type of the file it stands for)
 * @param encoding the {@code Content-Encoding} of a precompressed sibling, or
 * {@code null}
 * @param etag the entity tag, quoted
 * @param lastModified the {@code Last-Modified} HTTP date
 * @param validators {@code ETag}, {@code Last-Modified}, {@code Accept-Ranges} and, for a
 * sibling, {@code Content-Encoding}: the headers of every answer about the file, checked
 * once and copied into each response without being checked again
 * @param whole {@code Content-Type} and {@code Content-Length} of an answer with the
 * whole file, likewise
 * @param lines the headers of {@code validators} then {@code whole} encoded as header
 * lines ({@link EncodedResponse#lines}), for the direct path; never changed
 * @param checkedNanos when the attributes were read ({@link System#nanoTime()})
 */
record FileInfo(Path file, long size, long modified, String contentType, String encoding, String etag,
		String lastModified, HttpHeaders validators, HttpHeaders whole, byte[] lines, long checkedNanos) {

	/**
	 * Describe a file from its attributes.
	 * @param file the file
	 * @param attributes its attributes, symbolic links followed
	 * @param contentType the type to answer with
	 * @param encoding the content coding of a precompressed sibling, or {@code null}
	 * @return the description
	 */
	static FileInfo of(Path file, BasicFileAttributes attributes, String contentType, String encoding) {
		long size = attributes.size();
		long modified = attributes.lastModifiedTime().toMillis();
		String etag = "\"" + Long.toHexString(modified) + "-" + Long.toHexString(size)
				+ ((encoding != null) ? "-" + encoding : "") + "\"";
		String lastModified = HttpDates.format(modified);
		HttpHeaders validators = DefaultHttpHeadersFactory.headersFactory().newHeaders();
		validators.set(HttpHeaderNames.ETAG, etag);
		validators.set(HttpHeaderNames.LAST_MODIFIED, lastModified);
		validators.set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES);
		if (encoding != null) {
			validators.set(HttpHeaderNames.CONTENT_ENCODING, encoding);
		}
		HttpHeaders whole = DefaultHttpHeadersFactory.headersFactory().newHeaders();
		whole.set(HttpHeaderNames.CONTENT_TYPE, contentType);
		whole.set(HttpHeaderNames.CONTENT_LENGTH, Long.toString(size));
		return new FileInfo(file, size, modified, contentType, encoding, etag, lastModified, validators, whole,
				EncodedResponse.lines(validators, whole), System.nanoTime());
	}

	/**
	 * Describe a file asked for by name, its type from its name.
	 * @param file the file
	 * @param attributes its attributes, symbolic links followed
	 * @return the description
	 */
	static FileInfo of(Path file, BasicFileAttributes attributes) {
		return of(file, attributes, MimeTypes.forFileName(file.getFileName().toString()), null);
	}

}
