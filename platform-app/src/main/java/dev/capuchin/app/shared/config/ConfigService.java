package dev.capuchin.app.shared.config;

import dev.capuchin.app.identity.OAuthClientDocument;
import dev.capuchin.app.identity.OAuthClients;
import dev.capuchin.app.openidlogins.OpenIdLogin;
import dev.capuchin.app.openidlogins.OpenIdLoginReferences;
import dev.capuchin.app.openidlogins.OpenIdLoginRules;
import dev.capuchin.app.openidlogins.OpenIdLoginStore;
import dev.capuchin.app.realms.Realm;
import dev.capuchin.app.realms.RealmReferences;
import dev.capuchin.app.realms.RealmRules;
import dev.capuchin.app.realms.RealmUser;
import dev.capuchin.app.sites.SiteEntry;
import dev.capuchin.app.sites.SiteItems;
import dev.capuchin.app.transfer.ConfigDiff;
import dev.capuchin.app.transfer.ConfigDocument;
import dev.capuchin.app.upstreams.UpstreamReferences;
import dev.capuchin.app.upstreams.UpstreamStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import dev.capuchin.app.audit.AuditLog;
import dev.capuchin.app.realms.RealmStore;
import dev.capuchin.app.sites.SiteStore;
import dev.capuchin.core.internal.server.PluginChain;
import dev.capuchin.core.spi.Site;
import dev.capuchin.core.internal.site.SiteLoader;
import dev.capuchin.core.spi.SiteTable;
import dev.capuchin.plugin.proxy.Upstream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.transaction.support.TransactionTemplate;

/**
 * The only way configuration changes: validate (sites, realms, upstreams, the realms and
 * upstreams the sites name, then every plugin's settings) → write in one transaction with
 * the version bump and the audit entries → swap the new snapshot into the data plane. A
 * change that fails validation is refused with a message naming the field, and nothing is
 * stored or swapped. Stored realms reach the data plane through the site table: each
 * location that names one gets its users (see {@link RealmReferences}); stored upstreams
 * the same way, each location that names one gets its definition (see
 * {@link UpstreamReferences}). A document's OAuth clients are checked with the API's
 * rules against the document's realms and written in the same transaction
 * ({@link OAuthClients#replaceAll}); they live in the authorization server's tables, not
 * in the site table. Stored OpenID logins reach locations like realms and upstreams: each
 * {@code auth: {openid: {login: ...}}} block gets its login written in (see
 * {@link OpenIdLoginReferences}).
 */
public class ConfigService {

	private static final Logger logger = LoggerFactory.getLogger(ConfigService.class);

	/** The actor of the first start's import of the site files, before the directory. */
	static final String SEEDED_BY = "import:";

	/** The actor of a reload of the site files, before the directory. */
	static final String RELOADED_BY = "reload:";

	private final SiteStore sites;

	private final RealmStore realms;

	private final UpstreamStore upstreams;

	private final ConfigVersionStore versions;

	private final AuditLog audit;

	private final TransactionTemplate transactions;

	private final PluginChain plugins;

	private final Consumer<SiteTable> install;

	private final Path base;

	private final Supplier<OAuthClients> clients;

	private final Supplier<OpenIdLoginStore> openidLogins;

	private final SnapshotFile snapshot;

	private final SiteDefaults siteDefaults;

	private volatile long appliedVersion = -1;

	/**
	 * Create the service.
	 * @param sites the site store
	 * @param realms the realm store
	 * @param upstreams the upstream store
	 * @param versions the version store
	 * @param audit the audit log
	 * @param transactions the transaction template of the store
	 * @param plugins the plugins that validate their settings
	 * @param install what receives each new, prepared table (the data plane), or a no-op
	 * @param base the directory relative paths are resolved against
	 */
	public ConfigService(SiteStore sites, RealmStore realms, UpstreamStore upstreams, ConfigVersionStore versions,
			AuditLog audit, TransactionTemplate transactions, PluginChain plugins, Consumer<SiteTable> install,
			Path base) {
		this(sites, realms, upstreams, versions, audit, transactions, plugins, install, base, () -> null);
	}

	/**
	 * Create the service, with the OAuth clients of the configuration document.
	 * @param sites the site store
	 * @param realms the realm store
	 * @param upstreams the upstream store
	 * @param versions the version store
	 * @param audit the audit log
	 * @param transactions the transaction template of the store
	 * @param plugins the plugins that validate their settings
	 * @param install what receives each new, prepared table (the data plane), or a no-op
	 * @param base the directory relative paths are resolved against
	 * @param clients the OAuth clients, asked for when a change needs them (they depend
	 * on this service for their realms), or a supplier of {@code null} without an
	 * authorization server
	 */
	public ConfigService(SiteStore sites, RealmStore realms, UpstreamStore upstreams, ConfigVersionStore versions,
			AuditLog audit, TransactionTemplate transactions, PluginChain plugins, Consumer<SiteTable> install,
			Path base, Supplier<OAuthClients> clients) {
		this(sites, realms, upstreams, versions, audit, transactions, plugins, install, base, clients, () -> null);
	}

	/**
	 * Create the service, with the OAuth clients and the OpenID logins.
	 * @param sites the site store
	 * @param realms the realm store
	 * @param upstreams the upstream store
	 * @param versions the version store
	 * @param audit the audit log
	 * @param transactions the transaction template of the store
	 * @param plugins the plugins that validate their settings
	 * @param install what receives each new, prepared table (the data plane), or a no-op
	 * @param base the directory relative paths are resolved against
	 * @param clients the OAuth clients, or a supplier of {@code null}
	 * @param openidLogins the OpenID logins' store, or a supplier of {@code null} (then
	 * no location may name a login)
	 */
	public ConfigService(SiteStore sites, RealmStore realms, UpstreamStore upstreams, ConfigVersionStore versions,
			AuditLog audit, TransactionTemplate transactions, PluginChain plugins, Consumer<SiteTable> install,
			Path base, Supplier<OAuthClients> clients, Supplier<OpenIdLoginStore> openidLogins) {
		this(sites, realms, upstreams, versions, audit, transactions, plugins, install, base, clients, openidLogins,
				SnapshotFile.none(), SiteDefaults.NONE);
	}

	/**
	 * Create the service, with the OAuth clients, the OpenID logins, a snapshot of the
	 * applied configuration on disk and the node's site defaults.
	 * @param sites the site store
	 * @param realms the realm store
	 * @param upstreams the upstream store
	 * @param versions the version store
	 * @param audit the audit log
	 * @param transactions the transaction template of the store
	 * @param plugins the plugins that validate their settings
	 * @param install what receives each new, prepared table (the data plane), or a no-op
	 * @param base the directory relative paths are resolved against
	 * @param clients the OAuth clients, or a supplier of {@code null}
	 * @param openidLogins the OpenID logins' store, or a supplier of {@code null}
	 * @param snapshot where each applied configuration is written, for a start without
	 * the store
	 * @param siteDefaults what this node adds to every site it serves
	 */
	public ConfigService(SiteStore sites, RealmStore realms, UpstreamStore upstreams, ConfigVersionStore versions,
			AuditLog audit, TransactionTemplate transactions, PluginChain plugins, Consumer<SiteTable> install,
			Path base, Supplier<OAuthClients> clients, Supplier<OpenIdLoginStore> openidLogins, SnapshotFile snapshot,
			SiteDefaults siteDefaults) {
		this.snapshot = Objects.requireNonNull(snapshot, "snapshot");
		this.siteDefaults = Objects.requireNonNull(siteDefaults, "siteDefaults");
		this.openidLogins = openidLogins;
		this.clients = clients;
		this.sites = sites;
		this.realms = realms;
		this.upstreams = upstreams;
		this.versions = versions;
		this.audit = audit;
		this.transactions = transactions;
		this.plugins = plugins;
		this.install = install;
		this.base = base;
	}

	/**
	 * The table to start with: the store's sites, or — on first start, when the store is
	 * empty — the site files of a directory, imported into the store.
	 * @param sitesDir the site files directory
	 * @return the prepared table
	 */
	public synchronized SiteTable bootstrap(Path sitesDir) {
		if (Boolean.TRUE.equals(this.transactions.execute((status) -> this.sites.isEmpty()))) {
			List<Site> files = new SiteLoader(this.base).loadDirectory(sitesDir);
			List<SiteEntry> entries = files.stream().map((site) -> new SiteEntry(site, true)).toList();
			Snapshot stored = current();
			SiteTable table = validate(entries, stored.realms(), stored.upstreams(), stored.openidLogins());
			this.transactions.executeWithoutResult((status) -> {
				this.sites.replaceAll(entries);
				this.versions.bump(SEEDED_BY + sitesDir);
				this.audit.record(SEEDED_BY + sitesDir, "import", "configuration", null,
						ConfigDocument.write(entries, 1));
			});
			logger.info("Imported {} site(s) from {} into the empty store", entries.size(), sitesDir);
			Snapshot imported = current();
			this.appliedVersion = imported.version();
			this.snapshot.save(imported);
			return table;
		}
		Snapshot stored = current();
		this.appliedVersion = stored.version();
		SiteTable table = validate(stored.entries(), stored.realms(), stored.upstreams(), stored.openidLogins());
		this.snapshot.save(stored);
		return table;
	}

	/**
	 * The table to start with when the store cannot be reached: the snapshot of the
	 * configuration last applied on this node, if there is one. The node serves it and
	 * refuses changes until the store is back; then the poll and the listener load what
	 * the store holds, changes made meanwhile included.
	 * @param reason why the store could not be reached
	 * @return the prepared table
	 * @throws IllegalStateException when there is no snapshot to start from
	 * @throws InvalidConfigurationException when the snapshot is not valid
	 */
	public synchronized SiteTable startFromSnapshot(String reason) {
		SnapshotFile.Saved saved = this.snapshot.load(this.base)
			.orElseThrow(() -> new IllegalStateException(
					"The store is unreachable (" + reason + ") and there is no configuration snapshot to start from"
							+ this.snapshot.path().map((path) -> " (" + path + " does not exist)").orElse("")));
		ConfigDocument.Document document = saved.document();
		List<Realm> realms = (document.realms() != null) ? document.realms() : List.of();
		List<Upstream> upstreams = (document.upstreams() != null) ? document.upstreams() : List.of();
		List<OpenIdLogin> logins = (document.openidLogins() != null) ? openidLogins(document.openidLogins(), List.of())
				: List.of();
		SiteTable table = validate(document.sites(), realms, upstreams, logins);
		this.appliedVersion = saved.version();
		logger.warn(
				"The store is unreachable ({}): serving configuration version {} from the snapshot {} written {}; "
						+ "changes are refused until the store is back",
				reason, saved.version(), this.snapshot.path().orElseThrow(), saved.savedAt());
		return table;
	}

	/**
	 * Read the site files again and apply them, when the store's sites are still the
	 * files' (seeded from them, or last changed by this method): a store changed since
	 * through the console, the API or an import is left alone, so a reload never undoes
	 * those changes.
	 * @param sitesDir the site files directory
	 * @return the outcome, or empty when the store was changed since it was seeded
	 * @throws InvalidConfigurationException naming the field at fault; the served
	 * configuration stays
	 */
	public synchronized Optional<Outcome> reloadSiteFiles(Path sitesDir) {
		String changedBy = this.transactions.execute((status) -> this.versions.changedBy());
		if (changedBy == null || !(changedBy.startsWith(SEEDED_BY) || changedBy.startsWith(RELOADED_BY))) {
			return Optional.empty();
		}
		Map<String, Boolean> enabled = new LinkedHashMap<>();
		current().entries().forEach((entry) -> enabled.put(entry.name(), entry.enabled()));
		// a site switched off in the store stays off; the files know nothing of it
		List<SiteEntry> entries = new SiteLoader(this.base).loadDirectory(sitesDir)
			.stream()
			.map((site) -> new SiteEntry(site, enabled.getOrDefault(site.name(), true)))
			.toList();
		return Optional.of(apply(entries, RELOADED_BY + sitesDir, false));
	}

	/**
	 * The stored configuration and its version, read in one transaction.
	 * @return the snapshot
	 */
	public Snapshot current() {
		OpenIdLoginStore logins = this.openidLogins.get();
		return this.transactions
			.execute((status) -> new Snapshot(this.versions.current(), this.sites.findAll(), this.realms.findAll(),
					this.upstreams.findAll(), null, (logins != null) ? logins.findAll() : List.of()));
	}

	/**
	 * The stored configuration with its OAuth clients (secrets as hashes), read in one
	 * transaction: what export writes.
	 * @return the snapshot, {@link Snapshot#oauthClients()} filled in when there is an
	 * authorization server
	 */
	public Snapshot exported() {
		OAuthClients oauth = this.clients.get();
		OpenIdLoginStore logins = this.openidLogins.get();
		return this.transactions.execute((status) -> new Snapshot(this.versions.current(), this.sites.findAll(),
				this.realms.findAll(), this.upstreams.findAll(), (oauth != null) ? oauth.entries() : null,
				(logins != null) ? logins.findAll() : List.of()));
	}

	/**
	 * Apply a whole configuration of sites, or only show what it would change; the stored
	 * realms stay as they are.
	 * @param proposed the new entries
	 * @param actor who asks
	 * @param dryRun whether to stop after showing the difference
	 * @return the difference and the resulting version
	 * @throws InvalidConfigurationException naming the field at fault
	 */
	public Outcome apply(List<SiteEntry> proposed, String actor, boolean dryRun) {
		return apply(proposed, null, actor, dryRun);
	}

	/**
	 * Apply a configuration document, or only show what it would change.
	 * @param document the sites and, when it lists them, the realms and the upstreams
	 * @param actor who asks
	 * @param dryRun whether to stop after showing the difference
	 * @return the difference and the resulting version
	 * @throws InvalidConfigurationException naming the field at fault
	 */
	public Outcome apply(ConfigDocument.Document document, String actor, boolean dryRun) {
		Objects.requireNonNull(actor, "actor");
		synchronized (this) {
			Snapshot before = current();
			return apply(before, document.sites(), (document.realms() != null) ? document.realms() : before.realms(),
					(document.upstreams() != null) ? document.upstreams() : before.upstreams(), document.oauthClients(),
					(document.openidLogins() != null) ? openidLogins(document.openidLogins(), before.openidLogins())
							: before.openidLogins(),
					actor, dryRun);
		}
	}

	/**
	 * Apply sites and realms, or only show what they would change.
	 * @param proposed the new entries
	 * @param proposedRealms the new realms, or {@code null} to keep the stored ones
	 * @param actor who asks
	 * @param dryRun whether to stop after showing the difference
	 * @return the difference and the resulting version
	 * @throws InvalidConfigurationException naming the field at fault
	 */
	public Outcome apply(List<SiteEntry> proposed, List<Realm> proposedRealms, String actor, boolean dryRun) {
		return apply(proposed, proposedRealms, null, actor, dryRun);
	}

	/**
	 * Apply sites, realms and upstreams, or only show what they would change.
	 * @param proposed the new entries
	 * @param proposedRealms the new realms, or {@code null} to keep the stored ones
	 * @param proposedUpstreams the new upstreams, or {@code null} to keep the stored ones
	 * @param actor who asks
	 * @param dryRun whether to stop after showing the difference
	 * @return the difference and the resulting version
	 * @throws InvalidConfigurationException naming the field at fault
	 */
	public synchronized Outcome apply(List<SiteEntry> proposed, List<Realm> proposedRealms,
			List<Upstream> proposedUpstreams, String actor, boolean dryRun) {
		Objects.requireNonNull(actor, "actor");
		Snapshot before = current();
		return apply(before, proposed, (proposedRealms != null) ? proposedRealms : before.realms(),
				(proposedUpstreams != null) ? proposedUpstreams : before.upstreams(), null, before.openidLogins(),
				actor, dryRun);
	}

	/**
	 * Change the realms and nothing else: the change is computed from the realms as
	 * stored now, and the sites are neither rewritten nor compared.
	 * @param change the new realms from the current ones; may throw to refuse
	 * @param actor who asks
	 * @return the difference and the resulting version
	 * @throws InvalidConfigurationException naming the field at fault, for example a
	 * realm that locations still name
	 */
	public synchronized Outcome changeRealms(UnaryOperator<List<Realm>> change, String actor) {
		Objects.requireNonNull(actor, "actor");
		Snapshot before = current();
		return apply(before, before.entries(), change.apply(before.realms()), before.upstreams(), null,
				before.openidLogins(), actor, false);
	}

	/**
	 * Change the upstreams and nothing else: the change is computed from the upstreams as
	 * stored now (a server's drain included: it is a stored setting, so it reaches every
	 * node and is audited).
	 * @param change the new upstreams from the current ones; may throw to refuse
	 * @param actor who asks
	 * @return the difference and the resulting version
	 * @throws InvalidConfigurationException naming the field at fault, for example an
	 * upstream that locations still name
	 */
	public synchronized Outcome changeUpstreams(UnaryOperator<List<Upstream>> change, String actor) {
		Objects.requireNonNull(actor, "actor");
		Snapshot before = current();
		return apply(before, before.entries(), before.realms(), change.apply(before.upstreams()), null,
				before.openidLogins(), actor, false);
	}

	/**
	 * Change the OpenID logins and nothing else: the change is computed from the logins
	 * as stored now, and reaches the locations that name them with the new table.
	 * @param change the new logins from the current ones; may throw to refuse
	 * @param actor who asks
	 * @return the difference and the resulting version
	 * @throws InvalidConfigurationException naming the field at fault
	 * @throws ConfigurationConflictException for a login that locations still name
	 */
	public synchronized Outcome changeOpenIdLogins(UnaryOperator<List<OpenIdLogin>> change, String actor) {
		Objects.requireNonNull(actor, "actor");
		Snapshot before = current();
		return apply(before, before.entries(), before.realms(), before.upstreams(), null,
				change.apply(before.openidLogins()), actor, false);
	}

	private List<OpenIdLogin> openidLogins(List<OpenIdLoginRules.Spec> proposed, List<OpenIdLogin> before) {
		OpenIdLoginStore store = this.openidLogins.get();
		if (store == null) {
			throw new InvalidConfigurationException("openid-logins: not offered here");
		}
		Map<String, OpenIdLogin> stored = new LinkedHashMap<>();
		before.forEach((login) -> stored.put(login.name(), login));
		List<OpenIdLogin> logins = new ArrayList<>();
		for (int i = 0; i < proposed.size(); i++) {
			OpenIdLoginRules.Spec spec = proposed.get(i);
			try {
				logins.add(OpenIdLoginRules.build(spec, stored.get(spec.name()), store.keys()));
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidConfigurationException("openid-logins[" + i + "]." + ex.getMessage());
			}
		}
		return logins;
	}

	private Outcome apply(Snapshot before, List<SiteEntry> proposed, List<Realm> proposedRealms,
			List<Upstream> proposedUpstreams, List<OAuthClientDocument.Entry> proposedClients,
			List<OpenIdLogin> proposedLogins, String actor, boolean dryRun) {
		RealmReferences.checkRemoved(before.realms(),
				proposedRealms.stream().map(Realm::name).collect(Collectors.toSet()), proposed);
		UpstreamReferences.checkRemoved(before.upstreams().stream().map(Upstream::name).collect(Collectors.toSet()),
				proposedUpstreams.stream().map(Upstream::name).collect(Collectors.toSet()), proposed);
		OpenIdLoginReferences.checkRemoved(
				before.openidLogins().stream().map(OpenIdLogin::name).collect(Collectors.toSet()),
				proposedLogins.stream().map(OpenIdLogin::name).collect(Collectors.toSet()), proposed);
		SiteTable prepared = validate(proposed, proposedRealms, proposedUpstreams, proposedLogins);
		ConfigDiff diff = ConfigDiff
			.between(before.entries(), before.realms(), before.upstreams(), proposed, proposedRealms, proposedUpstreams)
			.withOpenIdLogins(before.openidLogins(), proposedLogins);
		Set<String> realmNames = proposedRealms.stream().map(Realm::name).collect(Collectors.toSet());
		OAuthClients oauth = this.clients.get();
		List<OAuthClientDocument.Entry> checkedClients = null;
		if (proposedClients != null) {
			if (oauth == null) {
				throw new InvalidConfigurationException("oauth-clients: no authorization server runs here");
			}
			checkedClients = oauth.check(proposedClients, realmNames::contains);
			diff = diff.withClients(oauth.entries(), checkedClients);
		}
		else if (oauth != null && !diff.realms().isEmpty()) {
			// a realm removed under a client the document leaves alone
			for (OAuthClientDocument.Entry client : oauth.entries()) {
				if (client.spec().realm() != null && !realmNames.contains(client.spec().realm())) {
					throw new InvalidConfigurationException(
							"realms: '" + client.spec().realm() + "' is the realm of OAuth client '" + client.clientId()
									+ "' (expected: move or delete the client first)");
				}
			}
		}
		ConfigDiff changes = diff;
		List<OAuthClientDocument.Entry> newClients = checkedClients;
		if (dryRun || changes.isEmpty()) {
			return new Outcome(diff, before.version(), false);
		}
		long version = this.transactions.execute((status) -> {
			long next = this.versions.bump(actor);
			if (next != before.version() + 1) {
				// the version row is locked from here on; a gap means another change
				// committed after the snapshot this one was computed from
				status.setRollbackOnly();
				return -next;
			}
			if (!changes.changes().isEmpty()) {
				this.sites.replaceAll(proposed);
			}
			if (!changes.realms().isEmpty()) {
				this.realms.replaceAll(proposedRealms);
				if (oauth != null) {
					revokeSignedOutUsers(oauth, before.realms(), proposedRealms, actor);
				}
			}
			if (!changes.upstreams().isEmpty()) {
				this.upstreams.replaceAll(proposedUpstreams);
			}
			if (!changes.clients().isEmpty()) {
				oauth.replaceAll(newClients, realmNames::contains, actor);
			}
			if (!changes.openidLogins().isEmpty()) {
				this.openidLogins.get().replaceAll(proposedLogins);
			}
			// one entry per changed item (an access rule, a location), not one per site
			for (SiteItems.Change item : SiteItems.of(changes.changes(), before.entries(), proposed)) {
				this.audit.record(actor, item.action(), item.target(), item.before(), item.after());
			}
			for (ConfigDiff.RealmChange change : changes.realms()) {
				this.audit.record(actor, change.kind().name().toLowerCase(Locale.ROOT), "realm " + change.realm(),
						change.before(), change.after());
			}
			for (ConfigDiff.UpstreamChange change : changes.upstreams()) {
				this.audit.record(actor, change.kind().name().toLowerCase(Locale.ROOT), "upstream " + change.upstream(),
						change.before(), change.after());
			}
			for (ConfigDiff.ClientChange change : changes.clients()) {
				this.audit.record(actor, change.kind().name().toLowerCase(Locale.ROOT),
						"oauth-client " + change.clientId(), change.before(), change.after());
			}
			for (ConfigDiff.OpenIdLoginChange change : changes.openidLogins()) {
				this.audit.record(actor, change.kind().name().toLowerCase(Locale.ROOT),
						"openid-login " + change.login(), change.before(), change.after());
			}
			return next;
		});
		if (version < 0) {
			throw new ConfigurationConflictException("configuration: changed meanwhile (version " + before.version()
					+ " is now " + (-version - 1) + "); nothing was changed, try again");
		}
		this.install.accept(prepared);
		this.appliedVersion = version;
		this.snapshot.save(new Snapshot(version, proposed, proposedRealms, proposedUpstreams, null, proposedLogins));
		logger.info(
				"Configuration version {} applied by {}: {} site change(s), {} realm change(s), {} upstream "
						+ "change(s), {} OAuth client change(s), {} OpenID login change(s)",
				version, actor, changes.changes().size(), changes.realms().size(), changes.upstreams().size(),
				changes.clients().size(), changes.openidLogins().size());
		return new Outcome(changes, version, true);
	}

	/**
	 * Revoke the grants of realm users who were deleted or whose password changed: a
	 * refresh token must not outlive the account, nor the password it was given for.
	 */
	private static void revokeSignedOutUsers(OAuthClients oauth, List<Realm> before, List<Realm> after, String actor) {
		Map<String, Realm> next = after.stream().collect(Collectors.toMap(Realm::name, (realm) -> realm));
		for (Realm realm : before) {
			Realm kept = next.get(realm.name());
			Set<String> deleted = new TreeSet<>();
			Set<String> rekeyed = new TreeSet<>();
			for (RealmUser user : realm.users()) {
				Optional<RealmUser> now = (kept != null) ? kept.user(user.name()) : Optional.empty();
				if (now.isEmpty()) {
					deleted.add(user.name());
				}
				else if (!now.get().passwordHash().equals(user.passwordHash())) {
					rekeyed.add(user.name());
				}
			}
			oauth.revokeRealmUsers(realm.name(), deleted, "user deleted", actor);
			oauth.revokeRealmUsers(realm.name(), rekeyed, "password changed", actor);
		}
	}

	/**
	 * Reload from the store when another node (or the command line) changed it.
	 * @return whether a newer version was installed
	 */
	public synchronized boolean refresh() {
		long stored = this.transactions.execute((status) -> this.versions.current());
		if (stored == this.appliedVersion) {
			return false;
		}
		Snapshot snapshot = current();
		try {
			this.install
				.accept(validate(snapshot.entries(), snapshot.realms(), snapshot.upstreams(), snapshot.openidLogins()));
			this.appliedVersion = snapshot.version();
			this.snapshot.save(snapshot);
			logger.info("Configuration version {} loaded from the store", snapshot.version());
			return true;
		}
		catch (InvalidConfigurationException ex) {
			logger.error("Configuration version {} in the store is invalid, keeping version {}: {}", snapshot.version(),
					this.appliedVersion, ex.getMessage());
			this.appliedVersion = snapshot.version();
			return false;
		}
	}

	/**
	 * The version the data plane serves.
	 * @return the applied version
	 */
	public long appliedVersion() {
		return this.appliedVersion;
	}

	/**
	 * The directory relative paths in documents resolve against.
	 * @return the base directory
	 */
	public Path base() {
		return this.base;
	}

	private SiteTable validate(List<SiteEntry> entries, List<Realm> realms, List<Upstream> upstreams,
			List<OpenIdLogin> logins) {
		Map<String, Realm> byName = new LinkedHashMap<>();
		for (Realm realm : realms) {
			RealmRules.check(realm);
			if (byName.put(realm.name(), realm) != null) {
				throw new InvalidConfigurationException("realms: '" + realm.name() + "' is listed twice");
			}
		}
		RealmReferences.check(entries, byName.keySet());
		Map<String, Upstream> upstreamsByName = new LinkedHashMap<>();
		for (Upstream upstream : upstreams) {
			if (upstreamsByName.put(upstream.name(), upstream) != null) {
				throw new InvalidConfigurationException("upstreams: '" + upstream.name() + "' is listed twice");
			}
		}
		UpstreamReferences.check(entries, upstreamsByName.keySet());
		Map<String, Map<String, Object>> loginBlocks = new LinkedHashMap<>();
		for (OpenIdLogin login : logins) {
			if (loginBlocks.containsKey(login.name())) {
				throw new InvalidConfigurationException("openid-logins: '" + login.name() + "' is listed twice");
			}
			loginBlocks.put(login.name(), null);
		}
		OpenIdLoginReferences.check(entries, loginBlocks.keySet());
		// only the logins in use are decrypted: a node without the master key serves the
		// rest
		Set<String> used = OpenIdLoginReferences.usage(entries).keySet();
		OpenIdLoginStore loginStore = this.openidLogins.get();
		for (OpenIdLogin login : logins) {
			if (used.contains(login.name())) {
				try {
					loginBlocks.put(login.name(), OpenIdLoginReferences.block(login, loginStore.keys()));
				}
				catch (IllegalArgumentException ex) {
					throw new InvalidConfigurationException("openid-login " + login.name() + ": " + ex.getMessage());
				}
			}
		}
		List<Site> enabled = entries.stream()
			.filter(SiteEntry::enabled)
			.map((entry) -> OpenIdLoginReferences.resolve(
					UpstreamReferences.resolve(RealmReferences.resolve(entry.site(), byName), upstreamsByName),
					loginBlocks))
			.map(this.siteDefaults::apply)
			.toList();
		try {
			return this.plugins.prepare(SiteTable.of(enabled));
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationException(ex.getMessage());
		}
	}

	/**
	 * The stored configuration.
	 *
	 * @param version its version
	 * @param entries its sites
	 * @param realms its realms, by name
	 * @param upstreams its upstreams, in the order they are listed
	 * @param oauthClients its OAuth clients with their secrets' hashes, or {@code null}
	 * when not read (see {@link ConfigService#exported()})
	 * @param openidLogins its OpenID logins, secrets encrypted
	 */
	public record Snapshot(long version, List<SiteEntry> entries, List<Realm> realms, List<Upstream> upstreams,
			List<OAuthClientDocument.Entry> oauthClients, List<OpenIdLogin> openidLogins) {

		public Snapshot {
			entries = List.copyOf(entries);
			realms = List.copyOf(realms);
			upstreams = List.copyOf(upstreams);
			oauthClients = (oauthClients != null) ? List.copyOf(oauthClients) : null;
			openidLogins = (openidLogins != null) ? List.copyOf(openidLogins) : List.of();
		}

		/**
		 * A configuration without OpenID logins.
		 * @param version its version
		 * @param entries its sites
		 * @param realms its realms
		 * @param upstreams its upstreams
		 * @param oauthClients its OAuth clients, or {@code null}
		 */
		public Snapshot(long version, List<SiteEntry> entries, List<Realm> realms, List<Upstream> upstreams,
				List<OAuthClientDocument.Entry> oauthClients) {
			this(version, entries, realms, upstreams, oauthClients, List.of());
		}

		/**
		 * A configuration without its OAuth clients.
		 * @param version its version
		 * @param entries its sites
		 * @param realms its realms
		 * @param upstreams its upstreams
		 */
		public Snapshot(long version, List<SiteEntry> entries, List<Realm> realms, List<Upstream> upstreams) {
			this(version, entries, realms, upstreams, null);
		}

		/**
		 * A configuration without upstreams.
		 * @param version its version
		 * @param entries its sites
		 * @param realms its realms
		 */
		public Snapshot(long version, List<SiteEntry> entries, List<Realm> realms) {
			this(version, entries, realms, List.of());
		}

		/**
		 * A configuration without realms.
		 * @param version its version
		 * @param entries its sites
		 */
		public Snapshot(long version, List<SiteEntry> entries) {
			this(version, entries, List.of());
		}

		/**
		 * One realm.
		 * @param name the realm's name
		 * @return the realm, or empty
		 */
		public Optional<Realm> realm(String name) {
			return this.realms.stream().filter((realm) -> realm.name().equals(name)).findFirst();
		}

		/**
		 * One upstream.
		 * @param name the upstream's name
		 * @return the upstream, or empty
		 */
		public Optional<Upstream> upstream(String name) {
			return this.upstreams.stream().filter((upstream) -> upstream.name().equals(name)).findFirst();
		}

		/**
		 * One OpenID login.
		 * @param name the login's name
		 * @return the login, or empty
		 */
		public Optional<OpenIdLogin> openidLogin(String name) {
			return this.openidLogins.stream().filter((login) -> login.name().equals(name)).findFirst();
		}

	}

	/**
	 * The result of an apply.
	 *
	 * @param diff what changed (or would change)
	 * @param version the version now current
	 * @param applied whether the change was stored and swapped in
	 */
	public record Outcome(ConfigDiff diff, long version, boolean applied) {
	}

}
