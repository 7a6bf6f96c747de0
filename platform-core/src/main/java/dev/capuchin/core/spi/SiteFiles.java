package dev.capuchin.core.spi;

import java.io.IOException;
import java.nio.file.Path;

import dev.capuchin.core.internal.http.DocumentRoot;
import org.jspecify.annotations.Nullable;

/**
 * A site's document root as the kernel's static files see it, for content handlers that
 * serve from it (directory listings): the same hidden-file and symbolic-link policy, so
 * that a plugin refuses exactly the paths the kernel refuses.
 * <p>
 * Resolving reads file attributes: it costs a {@code stat(2)} and, with symbolic links
 * refused, a {@code realpath(3)}.
 */
public final class SiteFiles {

	private SiteFiles() {
	}

	/**
	 * Resolve a request path under a site's document root.
	 * @param site the site
	 * @param path the decoded, normalized request path ({@link Exchange#path()}),
	 * starting with {@code /}
	 * @return the file, or the status to refuse the path with
	 * @throws IOException on an unexpected file-system failure
	 */
	public static SiteFile resolve(Site site, String path) throws IOException {
		return DocumentRoot.resolve(site, path);
	}

	/**
	 * The index file of a directory: the first of the site's index files that is a
	 * regular file.
	 * @param site the site
	 * @param directory a directory {@link #resolve(Site, String) resolved} for the site
	 * @return the index file (200, or 403 when the symbolic-link policy refuses it), or
	 * {@code null} when the directory has none
	 * @throws IOException on an unexpected file-system failure
	 */
	public static @Nullable SiteFile index(Site site, Path directory) throws IOException {
		return DocumentRoot.index(site, directory);
	}

	/**
	 * Whether a site hides a path: it has a segment that starts with a dot (other than
	 * {@code /.well-known/}) and the site does not allow hidden files.
	 * @param site the site
	 * @param path the decoded, normalized path
	 * @return {@code true} when the kernel answers 404 for it
	 */
	public static boolean hides(Site site, String path) {
		return !site.hiddenFiles() && DocumentRoot.isHidden(path);
	}

}
