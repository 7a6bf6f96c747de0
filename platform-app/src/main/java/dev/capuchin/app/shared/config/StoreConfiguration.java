package dev.capuchin.app.shared.config;

import dev.capuchin.app.audit.AuditLog;
import dev.capuchin.app.identity.OAuthClients;
import dev.capuchin.app.openidlogins.OpenIdLoginStore;
import dev.capuchin.app.node.EdgeNodePart;
import dev.capuchin.app.realms.RealmStore;
import dev.capuchin.app.rules.AccessRuleMigration;
import dev.capuchin.app.sites.SiteStore;
import dev.capuchin.app.tokens.TokenStore;
import dev.capuchin.app.upstreams.UpstreamStore;
import dev.capuchin.app.users.ConsoleUserStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import dev.capuchin.app.realms.RealmChanges;
import dev.capuchin.core.autoconfigure.CapuchinProperties;
import dev.capuchin.core.internal.server.CapuchinServer;
import dev.capuchin.core.internal.server.PluginChain;
import dev.capuchin.core.spi.SiteTable;
import dev.capuchin.core.spi.Plugin;

import org.springframework.beans.factory.ObjectProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The configuration store and the live-configuration service: the data plane starts from
 * the store (importing the site files on first start) and every change goes through
 * {@link ConfigService}. Other nodes' changes arrive through PostgreSQL's
 * {@code LISTEN}/{@code NOTIFY} ({@code capuchin.store.notify}) and the version poll
 * ({@code capuchin.store.poll-interval}). Every node role has it. Each applied
 * configuration is also written to a snapshot file ({@code capuchin.store.snapshot},
 * empty for none): a node whose store cannot be reached at start serves that snapshot,
 * says so, and loads the store's configuration once it is back.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CapuchinProperties.class)
@EdgeNodePart
class StoreConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(StoreConfiguration.class);

	/**
	 * Migrate the store at start, except when it cannot be reached: then the node starts
	 * from its snapshot, on the schema the store had when the snapshot was written.
	 */
	@Bean
	FlywayMigrationStrategy capuchinFlywayMigrationStrategy() {
		return (flyway) -> {
			try {
				flyway.migrate();
			}
			catch (RuntimeException ex) {
				String reason = StoreUnreachable.reason(ex).orElseThrow(() -> ex);
				logger.warn("The store is unreachable at start ({}); its schema is not migrated now", reason);
			}
		};
	}

	/**
	 * Flyway runs the Java migrations it finds as beans, after the SQL ones before them.
	 */
	@Bean
	AccessRuleMigration accessRuleMigration() {
		return new AccessRuleMigration();
	}

	@Bean
	SiteStore siteStore(JdbcTemplate jdbc) {
		return new SiteStore(jdbc);
	}

	@Bean
	RealmStore realmStore(JdbcTemplate jdbc) {
		return new RealmStore(jdbc);
	}

	@Bean
	UpstreamStore upstreamStore(JdbcTemplate jdbc) {
		return new UpstreamStore(jdbc);
	}

	@Bean
	StoreNotifications storeNotifications(JdbcTemplate jdbc, DataSource dataSource,
			@Value("${capuchin.store.notify:true}") boolean notify, @Value("${spring.datasource.url:}") String url) {
		return (notify && isPostgres(dataSource, url)) ? StoreNotifications.through(jdbc) : StoreNotifications.none();
	}

	@Bean
	ConfigVersionStore configVersionStore(JdbcTemplate jdbc, StoreNotifications notifications) {
		return new ConfigVersionStore(jdbc, notifications);
	}

	@Bean
	AuditLog auditLog(JdbcTemplate jdbc) {
		return new AuditLog(jdbc);
	}

	@Bean
	ConsoleUserStore consoleUserStore(JdbcTemplate jdbc) {
		return new ConsoleUserStore(jdbc);
	}

	@Bean
	TokenStore tokenStore(JdbcTemplate jdbc) {
		return new TokenStore(jdbc);
	}

	@Bean
	ConfigService configService(SiteStore sites, RealmStore realms, UpstreamStore upstreams,
			ConfigVersionStore versions, AuditLog audit, PlatformTransactionManager transactionManager,
			ObjectProvider<Plugin> plugins, ObjectProvider<CapuchinServer> server, ObjectProvider<OAuthClients> clients,
			ObjectProvider<OpenIdLoginStore> openidLogins, ObjectProvider<SiteDefaults> siteDefaults,
			@Value("${capuchin.store.snapshot:data/last-configuration.yml}") String snapshot) {
		List<Plugin> ordered = plugins.orderedStream().toList();
		return new ConfigService(sites, realms, upstreams, versions, audit, new TransactionTemplate(transactionManager),
				new PluginChain(ordered), (table) -> server.ifAvailable((running) -> running.install(table)),
				Path.of("").toAbsolutePath(), clients::getIfAvailable, openidLogins::getIfAvailable,
				snapshot.isBlank() ? SnapshotFile.none() : new SnapshotFile(Path.of(snapshot).toAbsolutePath()),
				siteDefaults.getIfAvailable(() -> SiteDefaults.NONE));
	}

	@Bean
	RealmChanges realmChanges(ConfigService config) {
		return new RealmChanges(config);
	}

	@Bean
	SiteTable capuchinSiteTable(ConfigService config, CapuchinProperties properties) {
		try {
			return config.bootstrap(properties.sitesDir());
		}
		catch (RuntimeException ex) {
			String reason = StoreUnreachable.reason(ex).orElseThrow(() -> ex);
			return config.startFromSnapshot(reason);
		}
	}

	@Bean
	ConfigRefresher configRefresher(ConfigService config,
			@Value("${capuchin.store.poll-interval:5s}") Duration interval) {
		return new ConfigRefresher(config, interval);
	}

	@Bean
	@ConditionalOnBooleanProperty(name = "capuchin.store.notify", matchIfMissing = true)
	ConfigListener configListener(DataSource dataSource, ConfigService config, ObjectProvider<StoreChannel> others,
			@Value("${spring.datasource.url:}") String url) {
		if (!isPostgres(dataSource, url)) {
			// H2 has no LISTEN: the poll alone carries other nodes' changes there
			return null;
		}
		// the same database and credentials as the pool, but a connection of its own
		DataSource own = DataSourceBuilder.derivedFrom(dataSource).type(SimpleDriverDataSource.class).build();
		List<StoreChannel> channels = new ArrayList<>();
		channels.add(new StoreChannel(ConfigListener.CHANNEL, config::refresh));
		others.orderedStream().forEach(channels::add);
		return new ConfigListener(own, channels);
	}

	private static boolean isPostgres(DataSource dataSource, String url) {
		try {
			String product = JdbcUtils.extractDatabaseMetaData(dataSource, "getDatabaseProductName");
			return DatabaseDriver.fromProductName(product) == DatabaseDriver.POSTGRESQL;
		}
		catch (MetaDataAccessException ex) {
			if (StoreUnreachable.reason(ex).isPresent() && !url.isBlank()) {
				// a start without the store: the URL tells as much
				return DatabaseDriver.fromJdbcUrl(url) == DatabaseDriver.POSTGRESQL;
			}
			throw new IllegalStateException(
					"spring.datasource: cannot read the store's database product: " + ex.getMessage(), ex);
		}
	}

}
