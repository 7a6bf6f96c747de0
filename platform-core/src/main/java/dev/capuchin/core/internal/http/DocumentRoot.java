package dev.capuchin.core.internal.http;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

import dev.capuchin.core.spi.Site;
import dev.capuchin.core.spi.SiteFile;
import org.jspecify.annotations.Nullable;

/**
 * Maps a normalized request path to a file under a site's document root with the site's
 * policy: paths with a dot segment are hidden unless the site allows hidden files (apart
 * from {@code /.well-known/}), and a path that passes through a symbolic link is refused
 * unless the site follows symbolic links. {@link StaticFileHandler} and content handlers
 * that serve from the document root (through {@code spi.SiteFiles}) resolve through here,
 * so that they refuse exactly the same paths.
 * <p>
 * Resolution reads file attributes: it costs a {@code stat(2)} and, with symbolic links
 * refused, a {@code realpath(3)}.
 */
public final class DocumentRoot {

	private static final SiteFile NOT_FOUND = new SiteFile(404, null, null);

	private static final SiteFile FORBIDDEN = new SiteFile(403, null, null);

	private DocumentRoot() {
	}

	/**
	 * Resolve a request path under a site's document root.
	 * @param site the site
	 * @param path the decoded, normalized request path, starting with {@code /}
	 * @return the resolution: 200 with the file and its attributes, or the status to
	 * refuse it with (404 hidden or missing, 403 refused by the symbolic-link policy or
	 * by permissions)
	 * @throws IOException on an unexpected file-system failure
	 */
	public static SiteFile resolve(Site site, String path) throws IOException {
		if (!site.hiddenFiles() && isHidden(path)) {
			return NOT_FOUND;
		}
		return check(site, site.documentRoot().resolve(path.substring(1)));
	}

	/**
	 * The index file of a directory: the first of the site's index files that is a
	 * regular file.
	 * @param site the site
	 * @param directory a directory {@link #resolve(Site, String) resolved} for the site
	 * @return the index file's resolution (200, or 403 when the symbolic-link policy
	 * refuses it), or {@code null} when the directory has no index file
	 * @throws IOException on an unexpected file-system failure
	 */
	public static @Nullable SiteFile index(Site site, Path directory) throws IOException {
		for (String index : site.indexFiles()) {
			Path candidate = directory.resolve(index);
			BasicFileAttributes attributes;
			try {
				attributes = Files.readAttributes(candidate, BasicFileAttributes.class);
			}
			catch (NoSuchFileException ex) {
				continue;
			}
			if (!attributes.isRegularFile()) {
				continue;
			}
			if (!followable(site, candidate)) {
				return FORBIDDEN;
			}
			return new SiteFile(200, candidate, attributes);
		}
		return null;
	}

	/**
	 * Whether a path has a segment that starts with a dot, other than
	 * {@code /.well-known/}.
	 * @param path the normalized path
	 * @return {@code true} for a hidden path
	 */
	public static boolean isHidden(String path) {
		int at = path.indexOf("/.");
		while (at >= 0) {
			if (!path.startsWith("/.well-known", at) || (at + 12 < path.length() && path.charAt(at + 12) != '/')) {
				return true;
			}
			at = path.indexOf("/.", at + 1);
		}
		return false;
	}

	/**
	 * Whether the site's symbolic-link policy lets a file be served: always when the site
	 * follows symbolic links, otherwise only when no part of its path under the real
	 * document root is a link.
	 * @param site the site
	 * @param file an existing file under the site's document root
	 * @return {@code true} when it may be served
	 * @throws IOException when the real path cannot be read
	 */
	public static boolean followable(Site site, Path file) throws IOException {
		if (site.followSymlinks() || LinkFreePaths.contains(file)) {
			return true;
		}
		boolean linkFree = file.toRealPath().equals(file);
		if (linkFree) {
			LinkFreePaths.add(file);
		}
		return linkFree;
	}

	private static SiteFile check(Site site, Path file) throws IOException {
		try {
			BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
			if (!followable(site, file)) {
				return FORBIDDEN;
			}
			return new SiteFile(200, file, attributes);
		}
		catch (NoSuchFileException ex) {
			return NOT_FOUND;
		}
		catch (AccessDeniedException ex) {
			return FORBIDDEN;
		}
		catch (FileSystemException ex) {
			// ENOTDIR, ENAMETOOLONG and the like: there is no such file
			return NOT_FOUND;
		}
	}

}
