package dev.capuchin.plugin.fastcgi;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A location's compiled {@code fastcgi:} block.
 *
 * @param field the block's name for messages, such as
 * {@code site shop: locations[2].fastcgi}
 * @param pass the application servers, tried in turn when one cannot be reached
 * @param index the script tried for a path that ends with {@code /}
 * @param params extra params, added after (and replacing) Capuchin's own
 * @param splitPathInfo the pattern that cuts a path into the script's name (group 1) and
 * {@code PATH_INFO} (group 2), or {@code null} for no {@code PATH_INFO}
 * @param scripts the pattern a script's path must match to be passed on; other existing
 * files are left to static files
 * @param frontController the script that receives requests for files that do not exist
 * ({@code try_files $uri $uri/ /index.php?$args}), or {@code null}
 * @param connectTimeout how long a connection may take to open
 * @param readTimeout how long the application may stay silent
 * @param maxConnections the most connections to each of the servers
 * @param keepConnection whether connections are kept open between requests
 * ({@code FCGI_KEEP_CONN})
 */
public record FastCgiLocation(String field, List<FastCgiAddress> pass, String index, Map<String, String> params,
		@Nullable Pattern splitPathInfo, Pattern scripts, @Nullable String frontController, Duration connectTimeout,
		Duration readTimeout, int maxConnections, boolean keepConnection) {

	/** nginx's {@code fastcgi_split_path_info} of its PHP examples. */
	public static final String DEFAULT_SPLIT_PATH_INFO = "^(.+\\.php)(/.*)$";

	/** The scripts passed on by default. */
	public static final String DEFAULT_SCRIPTS = "\\.php$";

	/** The index script of a block that names none. */
	public static final String DEFAULT_INDEX = "index.php";

	public FastCgiLocation {
		pass = List.copyOf(pass);
		params = Map.copyOf(params);
	}

}
