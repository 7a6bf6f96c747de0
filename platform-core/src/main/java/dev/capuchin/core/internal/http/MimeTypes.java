package dev.capuchin.core.internal.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Media types by file extension, read once from the {@code mime.types} data file beside
 * this class. Unknown extensions are {@code application/octet-stream}.
 */
public final class MimeTypes {

	/** The type of files with an unknown extension. */
	public static final String DEFAULT_TYPE = "application/octet-stream";

	private static final Map<String, String> TYPES = load();

	private MimeTypes() {
	}

	/**
	 * The {@code Content-Type} for a file name.
	 * @param fileName the file name
	 * @return the media type, with {@code charset=utf-8} for text
	 */
	public static String forFileName(String fileName) {
		int dot = fileName.lastIndexOf('.');
		if (dot < 0 || dot == fileName.length() - 1) {
			return DEFAULT_TYPE;
		}
		String type = TYPES.get(fileName.substring(dot + 1));
		if (type == null) {
			type = TYPES.getOrDefault(fileName.substring(dot + 1).toLowerCase(Locale.ROOT), DEFAULT_TYPE);
		}
		return type;
	}

	private static Map<String, String> load() {
		Map<String, String> types = new HashMap<>();
		try (InputStream in = MimeTypes.class.getResourceAsStream("mime.types")) {
			if (in == null) {
				throw new IllegalStateException("mime.types is missing from the class path");
			}
			BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
			String line;
			while ((line = reader.readLine()) != null) {
				line = line.trim();
				if (line.isEmpty() || line.startsWith("#")) {
					continue;
				}
				String[] parts = line.split("\\s+");
				boolean text = parts[0].startsWith("text/") || parts[0].endsWith("+xml") || parts[0].endsWith("json")
						|| parts[0].equals("application/javascript");
				String type = text ? parts[0] + "; charset=utf-8" : parts[0];
				for (int i = 1; i < parts.length; i++) {
					types.put(parts[i], type);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return Map.copyOf(types);
	}

}
