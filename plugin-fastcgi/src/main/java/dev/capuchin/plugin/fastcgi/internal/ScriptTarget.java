package dev.capuchin.plugin.fastcgi.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Matcher;

import dev.capuchin.core.spi.Site;
import dev.capuchin.core.spi.SiteFile;
import dev.capuchin.core.spi.SiteFiles;
import dev.capuchin.plugin.fastcgi.FastCgiLocation;
import org.jspecify.annotations.Nullable;

/**
 * Where a request in a {@code fastcgi:} location goes, decided the way nginx's PHP
 * configurations do it, with the kernel's own path rules ({@link SiteFiles}: hidden
 * files, symbolic links, no escape from the document root):
 * <ol>
 * <li>{@code split-path-info} cuts the path into the script and {@code PATH_INFO}; a path
 * ending with {@code /} names the {@code index} script of that directory.</li>
 * <li>An existing script (a path matching {@code scripts}) is passed on.</li>
 * <li>A missing script is a 404 from Capuchin: never passed on, so no application server
 * guesses a script from a longer path ({@code cgi.fix_pathinfo}, which let an uploaded
 * {@code avatar.jpg/x.php} run as PHP).</li>
 * <li>Any other existing file or directory is left to the kernel (static files, the
 * trailing-slash redirect, directory listings).</li>
 * <li>Any other missing file goes to the {@code front-controller} script where the block
 * names one ({@code try_files $uri $uri/ /index.php?$args}), else to the kernel
 * (404).</li>
 * </ol>
 *
 * @param status 200 to pass the request on, 0 to decline it, else the status to answer
 * @param scriptName the script's path ({@code SCRIPT_NAME})
 * @param pathInfo the rest of the path ({@code PATH_INFO}), or {@code ""}
 * @param file the script's file ({@code SCRIPT_FILENAME})
 */
public record ScriptTarget(int status, @Nullable String scriptName, String pathInfo, @Nullable Path file) {

	private static final ScriptTarget DECLINE = new ScriptTarget(0, null, "", null);

	/**
	 * Decide where a request goes.
	 * @param site the site
	 * @param location the location's block
	 * @param path the decoded, normalized request path
	 * @return the target
	 * @throws IOException on an unexpected file-system failure
	 */
	public static ScriptTarget resolve(Site site, FastCgiLocation location, String path) throws IOException {
		String script = path;
		String pathInfo = "";
		if (location.splitPathInfo() != null) {
			Matcher matcher = location.splitPathInfo().matcher(path);
			if (matcher.find() && matcher.group(1) != null) {
				script = matcher.group(1);
				pathInfo = (matcher.group(2) != null) ? matcher.group(2) : "";
			}
		}
		boolean directory = script.endsWith("/");
		if (directory) {
			script = script + location.index();
		}
		boolean isScript = location.scripts().matcher(script).find();
		SiteFile resolved = SiteFiles.resolve(site, script);
		if (resolved.found()) {
			if (!isScript || !resolved.attributes().isRegularFile()) {
				return DECLINE;
			}
			return new ScriptTarget(200, script, pathInfo, resolved.file());
		}
		if (directory) {
			// no index script: the kernel's index files, listing or 403
			return DECLINE;
		}
		if (isScript) {
			return new ScriptTarget(resolved.status(), null, "", null);
		}
		if (resolved.status() == 404 && location.frontController() != null) {
			SiteFile front = SiteFiles.resolve(site, location.frontController());
			if (front.found() && front.attributes().isRegularFile()) {
				return new ScriptTarget(200, location.frontController(), "", front.file());
			}
		}
		return DECLINE;
	}

	/**
	 * Whether the request is passed to the application server.
	 * @return {@code true} for status 200
	 */
	public boolean passed() {
		return this.status == 200;
	}

	/**
	 * Whether the request is left to the next handler.
	 * @return {@code true} when declined
	 */
	public boolean declined() {
		return this.status == 0;
	}

}
