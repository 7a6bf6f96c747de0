package dev.capuchin.core.internal.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A precompressed sibling of a static file ({@code file.br}, {@code file.gz}) chosen by
 * the client's {@code Accept-Encoding}: brotli before gzip, and only an encoding the
 * client accepts with a non-zero quality.
 *
 * @param path the sibling file
 * @param attributes its attributes
 * @param encoding the {@code Content-Encoding} it is sent with
 */
record Precompressed(Path path, BasicFileAttributes attributes, String encoding) {

	private static final String[][] ENCODINGS = { { "br", ".br" }, { "gzip", ".gz" } };

	static Precompressed find(Path file, String acceptEncoding) {
		if (acceptEncoding == null) {
			return null;
		}
		for (String[] encoding : ENCODINGS) {
			if (accepts(acceptEncoding, encoding[0])) {
				Path sibling = file.resolveSibling(file.getFileName() + encoding[1]);
				try {
					BasicFileAttributes attributes = Files.readAttributes(sibling, BasicFileAttributes.class);
					if (attributes.isRegularFile()) {
						return new Precompressed(sibling, attributes, encoding[0]);
					}
				}
				catch (IOException ex) {
					// no such sibling
				}
			}
		}
		return null;
	}

	/**
	 * Whether an {@code Accept-Encoding} value accepts a coding with a quality above
	 * zero.
	 */
	static boolean accepts(String header, String coding) {
		for (String item : header.split(",")) {
			String[] parts = item.trim().split(";");
			String name = parts[0].trim();
			if (!name.equalsIgnoreCase(coding) && !name.equals("*")) {
				continue;
			}
			for (int i = 1; i < parts.length; i++) {
				String parameter = parts[i].trim();
				if (parameter.startsWith("q=") || parameter.startsWith("Q=")) {
					try {
						return Double.parseDouble(parameter.substring(2)) > 0;
					}
					catch (NumberFormatException ex) {
						return false;
					}
				}
			}
			return true;
		}
		return false;
	}

}
