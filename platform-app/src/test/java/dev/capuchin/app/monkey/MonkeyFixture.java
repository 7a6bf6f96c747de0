package dev.capuchin.app.monkey;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A Monkey configuration directory for tests: Monkey's distributed files from
 * {@code src/test/resources/monkey/etc}, copied with their build placeholders replaced by
 * Monkey's build defaults and test paths (as Monkey's {@code configure_file} does), with
 * document roots, a log directory and an mk_passwd users file ({@code alice}, password
 * {@code wonderland}, as {@code {SHA}}).
 *
 * @param directory the configuration directory ({@code /etc/monkey})
 * @param defaultRoot the default site's document root
 * @param shopRoot the shop site's document root
 * @param staffRoot the staff site's document root
 * @param logs the log directory
 * @param users the users file
 */
public record MonkeyFixture(Path directory, Path defaultRoot, Path shopRoot, Path staffRoot, Path logs, Path users) {

	/** The user of the users file. */
	public static final String USER = "alice";

	/** Her password. */
	public static final String PASSWORD = "wonderland";

	/**
	 * Install the fixture under a directory.
	 * @param base where to put {@code etc/}, {@code www/} and {@code log/}
	 * @param listen the value of {@code Listen} (Monkey's default is {@code 2001})
	 * @return the fixture
	 */
	public static MonkeyFixture install(Path base, String listen) {
		try {
			Path etc = base.resolve("etc");
			Path defaultRoot = write(base.resolve("www/monkey/index.html"), "monkey default").getParent();
			write(defaultRoot.resolve("404.html"), "default not found");
			Path shopRoot = write(base.resolve("www/shop/index.html"), "shop").getParent();
			write(shopRoot.resolve("errors/404.html"), "shop not found");
			Path staffRoot = write(base.resolve("www/staff/index.html"), "staff").getParent();
			write(staffRoot.resolve("private/index.html"), "staff only");
			Path logs = Files.createDirectories(base.resolve("log"));
			Map<String, String> values = new LinkedHashMap<>();
			// Monkey's build defaults (its CMakeLists.txt)
			values.put("@MK_CONF_LISTEN@", listen);
			values.put("@MK_CONF_WORKERS@", "0");
			values.put("@MK_CONF_TIMEOUT@", "15");
			values.put("@MK_CONF_PIDFILE@", "monkey.pid");
			values.put("@MK_CONF_USERDIR@", "public_html");
			values.put("@MK_CONF_INDEXFILE@", "index.html index.htm index.php");
			values.put("@MK_CONF_HIDEVERSION@", "Off");
			values.put("@MK_CONF_RESUME@", "On");
			values.put("@MK_CONF_USER@", "www-data");
			values.put("@MK_CONF_KA@", "On");
			values.put("@MK_CONF_KA_TIMEOUT@", "5");
			values.put("@MK_CONF_KA_MAXREQ@", "1000");
			values.put("@MK_CONF_REQ_SIZE@", "32");
			values.put("@MK_CONF_SYMLINK@", "Off");
			values.put("@MK_CONF_TRANSPORT@", "liana");
			values.put("@MK_CONF_DEFAULT_MIME@", "text/plain");
			values.put("@MK_CONF_FDT@", "On");
			values.put("@MK_CONF_OVERCAPACITY@", "Resist");
			values.put("@MK_VH_SERVERNAME@", "127.0.0.1");
			// paths
			values.put("@MK_PATH_PIDFILE@", base.resolve("run").toString());
			values.put("@MK_VH_DOCUMENT_ROOT@", defaultRoot.toString());
			values.put("@MK_PATH_LOG@", logs.toString());
			values.put("#LOGDIR#", logs.toString());
			values.put("@MK_PATH_CONF@", etc.toString());
			values.put("@SHOP_DOCUMENT_ROOT@", shopRoot.toString());
			values.put("@STAFF_DOCUMENT_ROOT@", staffRoot.toString());
			Path source = Path.of(MonkeyFixture.class.getResource("/monkey/etc").toURI());
			try (Stream<Path> files = Files.walk(source)) {
				for (Path file : files.filter(Files::isRegularFile).toList()) {
					String text = Files.readString(file);
					for (Map.Entry<String, String> value : values.entrySet()) {
						text = text.replace(value.getKey(), value.getValue());
					}
					write(etc.resolve(source.relativize(file).toString()), text);
				}
			}
			Path users = write(etc.resolve("plugins/auth/users.mk"), USER + ":" + sha(PASSWORD) + "\n");
			return new MonkeyFixture(etc, defaultRoot.toRealPath(), shopRoot.toRealPath(), staffRoot.toRealPath(), logs,
					users);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The line number of the first line of a file that contains a text.
	 * @param file the file, relative to the configuration directory
	 * @param text the text
	 * @return the line, from 1
	 */
	public int lineOf(String file, String text) {
		try {
			List<String> lines = Files.readAllLines(this.directory.resolve(file));
			for (int i = 0; i < lines.size(); i++) {
				if (lines.get(i).contains(text)) {
					return i + 1;
				}
			}
			throw new IllegalArgumentException(text + " not in " + file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Append lines to a file of the configuration directory.
	 * @param file the file, relative to the configuration directory
	 * @param lines the text to append
	 */
	public void append(String file, String lines) {
		try {
			Files.writeString(this.directory.resolve(file), lines, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Replace a text in a file of the configuration directory.
	 * @param file the file, relative to the configuration directory
	 * @param from the text
	 * @param to its replacement
	 */
	public void replace(String file, String from, String to) {
		try {
			Path path = this.directory.resolve(file);
			String text = Files.readString(path);
			if (!text.contains(from)) {
				throw new IllegalArgumentException(from + " not in " + file);
			}
			Files.writeString(path, text.replace(from, to));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A password as mk_passwd writes it: {@code {SHA}} and the base64 of its SHA-1.
	 * @param password the password
	 * @return the hash
	 */
	public static String sha(String password) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-1").digest(password.getBytes(StandardCharsets.UTF_8));
			return "{SHA}" + Base64.getEncoder().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Path write(Path file, String text) throws IOException {
		Files.createDirectories(file.getParent());
		return Files.writeString(file, text);
	}

}
