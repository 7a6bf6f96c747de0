package dev.capuchin.plugin.cgi;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A location's compiled {@code cgi:} block: which files under the location run as
 * scripts, how, and within which limits.
 * <p>
 * A file whose extension has an interpreter runs through it; any other file runs itself
 * and must be executable. With {@code extensions} set, only files with one of them (or
 * with an interpreter) are scripts, and other files are left to the static files.
 *
 * @param field the block's name for messages, such as {@code site shop: locations[0].cgi}
 * @param interpreters the interpreter of each extension (lower case, with its dot)
 * @param extensions the extensions (lower case, with their dot) of files that are
 * scripts, or empty for every file
 * @param passEnv names of Capuchin's environment variables a script inherits
 * @param env fixed variables added to every script's environment
 * @param timeout how long a script may run
 * @param queueTimeout how long a request waits for a place
 * @param user the user scripts run as, or {@code null} for Capuchin's own
 */
public record CgiLocation(String field, Map<String, Path> interpreters, Set<String> extensions, List<String> passEnv,
		Map<String, String> env, Duration timeout, Duration queueTimeout, @Nullable RunAs user) {

	public CgiLocation {
		Objects.requireNonNull(field, "field");
		interpreters = Map.copyOf(interpreters);
		extensions = Set.copyOf(extensions);
		passEnv = List.copyOf(passEnv);
		env = Map.copyOf(env);
		Objects.requireNonNull(timeout, "timeout");
		Objects.requireNonNull(queueTimeout, "queueTimeout");
	}

	/**
	 * The interpreter of a script file, by its extension.
	 * @param fileName the script's file name
	 * @return the interpreter, or {@code null} when the file runs itself
	 */
	public @Nullable Path interpreter(String fileName) {
		String extension = extension(fileName);
		return (extension != null) ? this.interpreters.get(extension) : null;
	}

	/**
	 * Whether a file is a script of this location: it has an interpreter, or no
	 * extensions are listed, or its extension is listed.
	 * @param fileName the file name
	 * @return {@code true} for a script
	 */
	public boolean isScript(String fileName) {
		if (this.extensions.isEmpty() || interpreter(fileName) != null) {
			return true;
		}
		String extension = extension(fileName);
		return extension != null && this.extensions.contains(extension);
	}

	/**
	 * The extension of a file name, lower case with its dot.
	 * @param fileName the name
	 * @return the extension, or {@code null} for none
	 */
	static @Nullable String extension(String fileName) {
		int dot = fileName.lastIndexOf('.');
		return (dot > 0) ? fileName.substring(dot).toLowerCase(Locale.ROOT) : null;
	}

	/**
	 * Why a string cannot be an environment variable's name.
	 * @param name the name
	 * @return the problem, or {@code null} when it can be
	 */
	public static @Nullable String envNameProblem(@Nullable String name) {
		if (name == null || name.isEmpty()) {
			return "'' (expected: a variable name of letters, digits and _)";
		}
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'
					|| (i > 0 && c >= '0' && c <= '9');
			if (!ok) {
				return "'" + name + "' (expected: a variable name of letters, digits and _)";
			}
		}
		return null;
	}

	/**
	 * A user scripts run as (Capuchin switches to it with {@code setpriv} when it runs as
	 * root).
	 *
	 * @param name the user's name
	 * @param uid the user id
	 * @param gid the user's primary group id
	 */
	public record RunAs(String name, int uid, int gid) {

	}

}
