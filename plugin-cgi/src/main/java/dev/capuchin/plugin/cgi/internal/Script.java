package dev.capuchin.plugin.cgi.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.capuchin.core.spi.Location;
import dev.capuchin.core.spi.Site;
import dev.capuchin.core.spi.SiteFile;
import dev.capuchin.core.spi.SiteFiles;
import dev.capuchin.plugin.cgi.CgiLocation;
import org.jspecify.annotations.Nullable;

/**
 * A request path split into the script it names and the {@code PATH_INFO} after it (RFC
 * 3875 §4.1.5): the longest leading run of segments that is a regular file under the
 * document root, resolved with the kernel's own rules ({@link SiteFiles}), so that no
 * path reaches a script the static files would refuse to serve.
 *
 * @param scriptName the script's URL path ({@code SCRIPT_NAME})
 * @param pathInfo what follows it, decoded, or {@code ""}
 * @param file the script file
 * @param interpreter the interpreter it runs through, or {@code null} when it runs itself
 * @param nph whether it is a non-parsed-header script ({@code nph-} name)
 */
public record Script(String scriptName, String pathInfo, Path file, @Nullable Path interpreter, boolean nph) {

	/**
	 * The script of a request path, if any.
	 * @param site the site
	 * @param location the location (its prefix is not searched for a script)
	 * @param cgi the location's block
	 * @param path the decoded, normalized request path
	 * @return the script; or {@code null} when the path names no script of the location
	 * (the static files answer it); or a refusal when it names a file that should run but
	 * cannot
	 * @throws IOException on an unexpected file-system failure
	 * @throws Refused when the path names a script that is not executable
	 */
	public static @Nullable Script resolve(Site site, Location location, CgiLocation cgi, String path)
			throws IOException {
		int from = 1;
		if (location.path() != null) {
			from = Math.max(1, location.path().length());
		}
		int end = path.indexOf('/', from);
		while (true) {
			String candidate = (end < 0) ? path : path.substring(0, end);
			if (!candidate.endsWith("/") && candidate.length() > 1) {
				SiteFile resolved = SiteFiles.resolve(site, candidate);
				if (!resolved.found()) {
					return null;
				}
				if (resolved.attributes().isRegularFile()) {
					return script(cgi, candidate, (end < 0) ? "" : path.substring(end), resolved.file());
				}
				if (!resolved.attributes().isDirectory()) {
					return null;
				}
			}
			if (end < 0) {
				return null;
			}
			end = path.indexOf('/', end + 1);
		}
	}

	private static @Nullable Script script(CgiLocation cgi, String scriptName, String pathInfo, Path file) {
		String name = scriptName.substring(scriptName.lastIndexOf('/') + 1);
		if (!cgi.isScript(name)) {
			return null;
		}
		Path interpreter = cgi.interpreter(name);
		if (interpreter == null && !Files.isExecutable(file)) {
			throw new Refused(403, "cgi: " + scriptName + " is not executable");
		}
		return new Script(scriptName, pathInfo, file, interpreter, name.startsWith("nph-"));
	}

	/** A path that names a script which cannot run. */
	public static final class Refused extends RuntimeException {

		private final int status;

		Refused(int status, String reason) {
			super(reason, null, false, false);
			this.status = status;
		}

		/**
		 * The status to answer with.
		 * @return the status
		 */
		public int status() {
			return this.status;
		}

	}

}
