package dev.capuchin.plugin.dirlisting.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

import dev.capuchin.core.spi.Site;
import dev.capuchin.core.spi.SiteFiles;
import dev.capuchin.plugin.dirlisting.SortKey;
import dev.capuchin.plugin.dirlisting.SortOrder;

/**
 * Reads a directory for a listing with the site's policy: dot entries only where the site
 * serves hidden files (and {@code .well-known}, which it always serves), symbolic links
 * only where it follows them (and only when they lead somewhere), sockets and other
 * special files never, and nothing a hide pattern matches. Blocks on file I/O: runs on
 * the plugin's scheduler, never on an event loop.
 */
public final class DirectoryReader {

	/** README names looked for, in order of preference, ignoring case. */
	static final List<String> README_NAMES = List.of("README.md", "README.txt", "README");

	private DirectoryReader() {
	}

	/**
	 * Read and sort a directory's visible entries, up to the rule's cap, and its README
	 * when the rule shows one.
	 * @param site the site
	 * @param directory the directory, resolved under the site's document root
	 * @param path the directory's request path, ending with {@code /}
	 * @param rule the rule in force
	 * @param key the sort key
	 * @param order the sort direction
	 * @return the listing
	 * @throws IOException when the directory cannot be read
	 */
	public static Listing read(Site site, Path directory, String path, ListingRule rule, SortKey key, SortOrder order)
			throws IOException {
		List<Entry> entries = new ArrayList<>();
		boolean truncated = false;
		try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
			for (Path child : stream) {
				Entry entry = entry(site, child, path, rule);
				if (entry == null) {
					continue;
				}
				if (entries.size() == rule.maxEntries()) {
					truncated = true;
					break;
				}
				entries.add(entry);
			}
		}
		entries.sort(Entry.comparator(key, order));
		Listing.Readme readme = rule.readme() ? readme(directory, entries, rule.readmeMaxBytes()) : null;
		return new Listing(entries, truncated, readme);
	}

	private static Entry entry(Site site, Path child, String path, ListingRule rule) {
		String name = child.getFileName().toString();
		if (SiteFiles.hides(site, path + name)) {
			return null;
		}
		if (rule.hides(name)) {
			return null;
		}
		BasicFileAttributes attributes;
		try {
			attributes = Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
			if (attributes.isSymbolicLink()) {
				if (!site.followSymlinks()) {
					return null;
				}
				attributes = Files.readAttributes(child, BasicFileAttributes.class);
			}
		}
		catch (IOException ex) {
			// gone since the directory was read, a dangling link, or not ours to see
			return null;
		}
		if (attributes.isDirectory()) {
			return new Entry(name, true, 0, attributes.lastModifiedTime().toMillis());
		}
		if (attributes.isRegularFile()) {
			return new Entry(name, false, attributes.size(), attributes.lastModifiedTime().toMillis());
		}
		return null;
	}

	private static Listing.Readme readme(Path directory, List<Entry> entries, int maxBytes) throws IOException {
		for (String wanted : README_NAMES) {
			for (Entry entry : entries) {
				if (!entry.directory() && entry.name().equalsIgnoreCase(wanted)) {
					return read(directory.resolve(entry.name()), entry.name(), maxBytes);
				}
			}
		}
		return null;
	}

	private static Listing.Readme read(Path file, String name, int maxBytes) throws IOException {
		byte[] bytes;
		try (InputStream in = Files.newInputStream(file)) {
			bytes = in.readNBytes(maxBytes + 1);
		}
		catch (IOException ex) {
			return null;
		}
		boolean cut = bytes.length > maxBytes;
		int length = cut ? maxBytes : bytes.length;
		String text = StandardCharsets.UTF_8.newDecoder()
			.onMalformedInput(CodingErrorAction.REPLACE)
			.onUnmappableCharacter(CodingErrorAction.REPLACE)
			.decode(ByteBuffer.wrap(bytes, 0, length))
			.toString();
		return new Listing.Readme(name, text, cut);
	}

}
