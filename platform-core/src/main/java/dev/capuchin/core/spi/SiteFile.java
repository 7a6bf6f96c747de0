package dev.capuchin.core.spi;

import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

import org.jspecify.annotations.Nullable;

/**
 * What a request path resolved to under a site's document root, by
 * {@link SiteFiles#resolve(Site, String)}: the file the kernel would serve, or the status
 * it would refuse the path with.
 *
 * @param status 200 when the file may be served, else the status to refuse it with (404
 * hidden or missing, 403 refused by the symbolic-link policy or by permissions)
 * @param file the file, or {@code null} when refused
 * @param attributes the file's attributes (symbolic links followed), or {@code null} when
 * refused
 */
public record SiteFile(int status, @Nullable Path file, @Nullable BasicFileAttributes attributes) {

	/**
	 * Whether the path resolved to a file that may be served.
	 * @return {@code true} for status 200
	 */
	public boolean found() {
		return this.status == 200;
	}

}
