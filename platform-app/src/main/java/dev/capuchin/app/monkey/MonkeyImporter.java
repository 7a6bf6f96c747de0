package dev.capuchin.app.monkey;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import dev.capuchin.plugin.logger.LoggerPlugin;
import dev.capuchin.plugin.mandril.MandrilPlugin;
import dev.capuchin.plugin.proxy.Upstreams;
import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.app.shared.config.InvalidConfigurationException;
import dev.capuchin.app.sites.HandlerBlocks;
import dev.capuchin.app.sites.SiteEntry;

/**
 * Imports a Monkey configuration directory through the configuration service, the one
 * path every change takes: the imported sites replace stored sites of the same name and
 * join the others, the whole is validated (sites, then every running plugin), and either
 * shown as a difference (a dry run) or written in one transaction with its audit entries
 * and swapped in live. The command line, the API and the console all import through here.
 */
public final class MonkeyImporter {

	private final ConfigService config;

	private final Set<String> runningPlugins;

	/**
	 * Create the importer.
	 * @param config the configuration service
	 * @param runningPlugins the names of the plugins that run in this process
	 */
	public MonkeyImporter(ConfigService config, Set<String> runningPlugins) {
		this.config = Objects.requireNonNull(config, "config");
		this.runningPlugins = Set.copyOf(runningPlugins);
	}

	/**
	 * Import a directory named as a user typed it (relative to the working directory), or
	 * only show what it would change.
	 * @param directory Monkey's configuration directory, such as {@code /etc/monkey}
	 * @param actor who asks, for the audit log
	 * @param dryRun whether to stop after the difference
	 * @return the difference, the report and the server properties
	 * @throws InvalidConfigurationException naming the directory, Monkey's file and line,
	 * or the site and field at fault; nothing is applied then
	 */
	public Result run(String directory, String actor, boolean dryRun) {
		if (directory == null || directory.isBlank()) {
			throw new InvalidConfigurationException(
					"directory: missing (expected: Monkey's configuration directory on this server, such as /etc/monkey)");
		}
		Path path;
		try {
			path = this.config.base().resolve(directory.strip());
		}
		catch (InvalidPathException ex) {
			throw new InvalidConfigurationException("directory: '" + directory + "' is not a path");
		}
		return run(path, actor, dryRun);
	}

	/**
	 * Import a directory, or only show what it would change.
	 * @param directory Monkey's configuration directory, such as {@code /etc/monkey}
	 * @param actor who asks, for the audit log
	 * @param dryRun whether to stop after the difference
	 * @return the difference, the report and the server properties
	 * @throws InvalidConfigurationException naming Monkey's file and line, or the site
	 * and field, at fault; nothing is applied then
	 */
	public Result run(Path directory, String actor, boolean dryRun) {
		MonkeyImport imported = MonkeyImport.read(directory);
		if (imported.protectsLocations() && !this.runningPlugins.contains("auth")) {
			throw new InvalidConfigurationException(imported.firstAuthSection()
					+ ": the auth plugin is off, so the location would be served without credentials"
					+ " (expected: Capuchin running with the auth profile)");
		}
		MonkeyImport.Merged merged;
		ConfigService.Outcome outcome;
		// the service applies under its own monitor: holding it from the read of the
		// stored
		// sites to the apply keeps a change made meanwhile in this process from being
		// undone
		synchronized (this.config) {
			ConfigService.Snapshot current = this.config.current();
			merged = imported.mergeInto(current.entries());
			try {
				outcome = this.config.apply(merged.entries(), null,
						imported.upstreams().isEmpty() ? null : imported.mergeUpstreams(current.upstreams()), actor,
						dryRun);
			}
			catch (InvalidConfigurationException ex) {
				throw new InvalidConfigurationException(imported.explain(ex.getMessage()));
			}
		}
		List<ReportLine> report = new ArrayList<>(imported.report());
		report.addAll(merged.notes());
		if (uses(imported, MandrilPlugin.NAME) && !this.runningPlugins.contains(MandrilPlugin.NAME)) {
			report.add(ReportLine.note("mandril: the rules are stored but not enforced until the mandril plugin"
					+ " runs (profile mandril)"));
		}
		for (String handler : List.of(HandlerBlocks.CGI, HandlerBlocks.FASTCGI)) {
			if (imported.usesInLocations(handler) && !this.runningPlugins.contains(handler)) {
				report.add(ReportLine.note(handler + ": the locations are stored but not served until the " + handler
						+ " plugin runs (profile " + handler + ")"));
			}
		}
		if (!imported.upstreams().isEmpty() && !this.runningPlugins.contains(Upstreams.BLOCK)) {
			report.add(ReportLine.note("proxy: the upstreams and their locations are stored but nothing is proxied"
					+ " until the proxy plugin runs (profile proxy)"));
		}
		if (uses(imported, LoggerPlugin.NAME) && !this.runningPlugins.contains(LoggerPlugin.NAME)) {
			report.add(ReportLine
				.note("logger: the logs are stored but not written until the logger plugin runs (profile logger)"));
		}
		return new Result(imported, merged.entries(), report, outcome);
	}

	private static boolean uses(MonkeyImport imported, String key) {
		return imported.sites().stream().anyMatch((entry) -> entry.site().setting(key) != null);
	}

	/**
	 * What an import did or would do.
	 *
	 * @param imported what was read from the directory
	 * @param entries the whole configuration applied (or shown): the stored sites with
	 * the imported ones
	 * @param report a line for every key of Monkey's files, then a note per site
	 * @param outcome the difference and the configuration version
	 */
	public record Result(MonkeyImport imported, List<SiteEntry> entries, List<ReportLine> report,
			ConfigService.Outcome outcome) {

		public Result {
			entries = List.copyOf(entries);
			report = List.copyOf(report);
		}

		/**
		 * The report as text, one line each.
		 * @return the lines
		 */
		public List<String> reportLines() {
			return this.report.stream().map(ReportLine::text).toList();
		}

		/**
		 * The {@code capuchin.*} properties that bind at start, as YAML.
		 * @return the YAML, or an empty string
		 */
		public String serverYaml() {
			return this.imported.serverYaml();
		}

	}

}
