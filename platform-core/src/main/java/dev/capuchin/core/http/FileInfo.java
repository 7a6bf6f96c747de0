package dev.capuchin.core.http;

import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

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
 * @param checkedNanos when the attributes were read ({@link System#nanoTime()})
 */
record FileInfo(Path file, long size, long modified, String contentType, String encoding, String etag,
		String lastModified, long checkedNanos) {

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
		return new FileInfo(file, size, modified, contentType, encoding, etag, HttpDates.format(modified),
				System.nanoTime());
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
