package dev.capuchin.app.monkey;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.capuchin.app.shared.config.InvalidConfigurationException;

/**
 * Which files of a Monkey configuration directory are read: the site files, in Monkey's
 * order; and report lines for the files and plugin directories that are not.
 */
final class MonkeyFiles {

	static final int MAX_SITE_FILES = 1000;

	private MonkeyFiles() {
	}

	static List<Path> siteFiles(Path dir, List<ReportLine> report) {
		Path sites = dir.resolve("sites");
		if (!Files.isDirectory(sites)) {
			throw new InvalidConfigurationException("sites/: missing in " + dir + " (expected: Monkey's site files)");
		}
		List<Path> files = new ArrayList<>();
		try (Stream<Path> list = Files.list(sites)) {
			for (Path file : (Iterable<Path>) list.sorted()::iterator) {
				String name = file.getFileName().toString();
				// Monkey skips hidden files and editor backups
				if (name.startsWith(".") || name.endsWith("~")) {
					continue;
				}
				if (!Files.isRegularFile(file)) {
					report.add(new ReportLine("sites/" + name, 0, null, null, false, "not a regular file"));
					continue;
				}
				if (files.size() == MAX_SITE_FILES) {
					throw new InvalidConfigurationException(
							"sites/: more than " + MAX_SITE_FILES + " files (expected: Monkey's site files)");
				}
				files.add(file);
			}
		}
		catch (IOException ex) {
			throw new InvalidConfigurationException("sites/: cannot be read: " + ex.getMessage());
		}
		files.sort((a, b) -> Boolean.compare(!isDefault(a), !isDefault(b)));
		if (files.isEmpty()) {
			throw new InvalidConfigurationException("sites/: no site files (expected: at least sites/default)");
		}
		if (!isDefault(files.get(0))) {
			report.add(ReportLine.note("sites/default: missing; no imported site is the default"));
		}
		return files;
	}

	private static boolean isDefault(Path file) {
		return file.getFileName().toString().equalsIgnoreCase("default");
	}

	static void reportUnread(Path dir, List<ReportLine> report) {
		if (Files.isRegularFile(dir.resolve("plugins.load"))) {
			report.add(new ReportLine("plugins.load", 0, null, null, false,
					"Capuchin's plugins are switched on by Spring profiles: mandril, auth, logger, dirlisting"));
		}
		if (Files.isRegularFile(dir.resolve("monkey.mime"))) {
			report.add(new ReportLine("monkey.mime", 0, null, null, false,
					"media types come from Capuchin's own mime.types"));
		}
		Path plugins = dir.resolve("plugins");
		if (!Files.isDirectory(plugins)) {
			return;
		}
		try (Stream<Path> list = Files.list(plugins)) {
			list.filter(Files::isDirectory).map((path) -> path.getFileName().toString()).sorted().forEach((name) -> {
				String reason = switch (name) {
					case "mandril", "logger", "cgi", "fastcgi", "proxy_reverse" -> null;
					case "auth" -> "the [AUTH] sections of the site files are imported; this directory is not read";
					case "dirlisting" -> "switch on the dirlisting profile and set dirlisting: true on a site";
					case "tls", "liana_ssl", "polarssl" ->
						"TLS needs capuchin.server.listeners[N].tls certificate and key";
					case "cheetah" -> "GET /actuator/capuchin shows what Cheetah showed";
					default -> "Capuchin does not import this plugin's configuration";
				};
				if (reason != null) {
					report.add(new ReportLine("plugins/" + name + "/", 0, null, null, false, reason));
				}
			});
		}
		catch (IOException ex) {
			throw new InvalidConfigurationException("plugins/: cannot be read: " + ex.getMessage());
		}
	}

}
