package dev.capuchin.app.rules;

import dev.capuchin.plugin.mandril.MandrilBlocks;
import dev.capuchin.app.sites.SiteStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Migration 5.1: moves the access rules that stores older than version 5 keep in the
 * {@code plugin_settings} text of sites and locations into {@code access_rule} rows (the
 * table {@code V5__access_rules.sql} creates), leaving the text as the store writes it
 * now. It parses YAML, which SQL cannot, hence Java; it runs in the migration's
 * transaction on both H2 and PostgreSQL.
 */
public final class AccessRuleMigration implements JavaMigration {

	private static final MigrationVersion VERSION = MigrationVersion.fromVersion("5.1");

	@Override
	public MigrationVersion getVersion() {
		return VERSION;
	}

	@Override
	public String getDescription() {
		return "access rules out of plugin settings";
	}

	@Override
	public Integer getChecksum() {
		return null;
	}

	@Override
	public boolean canExecuteInTransaction() {
		return true;
	}

	@Override
	public void migrate(Context context) {
		JdbcTemplate jdbc = new JdbcTemplate(new SingleConnectionDataSource(context.getConnection(), true));
		List<Stored> sites = jdbc.query("select id, id as site_id, plugin_settings from site order by id",
				AccessRuleMigration::stored);
		for (Stored site : sites) {
			MandrilBlocks.Split split = split(site.settings());
			if (!split.rules().isEmpty()) {
				jdbc.update("update site set plugin_settings = ? where id = ?", SiteStore.yamlText(split.settings()),
						site.id());
				SiteStore.insertRules(jdbc, site.id(), null, split.rules());
			}
		}
		List<Stored> locations = jdbc.query("select id, site_id, plugin_settings from site_location order by id",
				AccessRuleMigration::stored);
		for (Stored location : locations) {
			MandrilBlocks.Split split = split(location.settings());
			if (!split.rules().isEmpty()) {
				jdbc.update("update site_location set plugin_settings = ? where id = ?",
						SiteStore.yamlText(split.settings()), location.id());
				SiteStore.insertRules(jdbc, location.siteId(), location.id(), split.rules());
			}
		}
	}

	private static Stored stored(ResultSet rs, int row) throws SQLException {
		return new Stored(rs.getLong("id"), rs.getLong("site_id"), rs.getString("plugin_settings"));
	}

	private static MandrilBlocks.Split split(String text) {
		return MandrilBlocks.extract(SiteStore.yamlMap((text != null) ? text : "{}"));
	}

	/** A site's or location's row: its id, its site's id, and its plugin settings. */
	private record Stored(long id, long siteId, String settings) {
	}

}
