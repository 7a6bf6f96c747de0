package dev.capuchin.app.status;

import java.lang.management.ManagementFactory;
import java.lang.management.RuntimeMXBean;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import dev.capuchin.core.internal.fdt.OpenFileTable;
import dev.capuchin.core.internal.server.CapuchinServer;
import dev.capuchin.core.internal.worker.Worker;
import dev.capuchin.core.spi.Plugin;
import dev.capuchin.core.spi.PluginDescription;
import dev.capuchin.core.spi.Site;
import dev.capuchin.core.spi.SiteTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a node's {@link NodeStatus} from the running server, the configuration version,
 * the request counter and the plugin modules: the one place the dashboard,
 * {@code /api/status} and {@code /actuator/capuchin} take their numbers from.
 */
public class StatusReader {

	private static final Logger logger = LoggerFactory.getLogger(StatusReader.class);

	private final Supplier<CapuchinServer> server;

	private final LongSupplier configurationVersion;

	private final RequestCounter counter;

	private final RequestRates rates;

	private final List<PluginDescription> descriptions;

	/**
	 * Create the reader.
	 * @param server the server, or a supplier of {@code null} when the data plane is off
	 * @param configurationVersion the configuration version served
	 * @param counter the request counter (recent errors)
	 * @param rates the request rates
	 * @param descriptions the plugin modules on the class path
	 */
	public StatusReader(Supplier<CapuchinServer> server, LongSupplier configurationVersion, RequestCounter counter,
			RequestRates rates, List<PluginDescription> descriptions) {
		this.server = server;
		this.configurationVersion = configurationVersion;
		this.counter = counter;
		this.rates = rates;
		this.descriptions = List.copyOf(descriptions);
	}

	/**
	 * The status now.
	 * @return the status
	 */
	public NodeStatus read() {
		RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
		CapuchinServer running = this.server.get();
		List<NodeStatus.WorkerStatus> workers = workers();
		long hits = workers.stream().mapToLong((worker) -> worker.fdt().hits()).sum();
		long misses = workers.stream().mapToLong((worker) -> worker.fdt().misses()).sum();
		NodeStatus.Totals totals = new NodeStatus.Totals(
				workers.stream().mapToLong(NodeStatus.WorkerStatus::connections).sum(),
				workers.stream().mapToLong(NodeStatus.WorkerStatus::accepted).sum(), hits, misses, rate(hits, misses));
		boolean hasTransport = running != null && running.transport() != null;
		return new NodeStatus(running != null && running.isRunning(), runtime.getUptime() / 1000,
				Instant.ofEpochMilli(runtime.getStartTime()),
				hasTransport ? running.transport().transport().configName() : null,
				hasTransport ? running.transport().fallbackReason() : null,
				(running != null) ? running.balancing().configName() : null,
				(running != null) ? running.boundAddresses().stream().map(StatusReader::address).toList() : List.of(),
				this.configurationVersion.getAsLong(), workers, totals,
				(running != null) ? sites(running.sites()) : List.of(), plugins(running), latestRates(),
				recentErrors());
	}

	/**
	 * Each worker, without the rest (for the dashboard's live fragment).
	 * @return the workers, none when the data plane does not run
	 */
	public List<NodeStatus.WorkerStatus> workers() {
		CapuchinServer running = this.server.get();
		return (running != null) ? running.workers().stream().map(StatusReader::worker).toList() : List.of();
	}

	/**
	 * The recent errors, without the rest (for the dashboard's live fragment).
	 * @return the last responses with status 500 and above or a plugin failure
	 */
	public List<RequestCounter.RecentError> recentErrors() {
		return this.counter.recentErrors();
	}

	/**
	 * The most recent 401, 403 and 404 answers, newest first.
	 * @return the refusals
	 */
	public List<RequestCounter.RecentError> recentRefusals() {
		return this.counter.recentRefusals();
	}

	/**
	 * The answers per site and status class over the last two minutes.
	 * @return the answers
	 */
	public RequestRates.Answers answers() {
		return this.rates.answers();
	}

	private static NodeStatus.WorkerStatus worker(Worker worker) {
		OpenFileTable fdt = worker.fdt();
		long hits = (fdt != null) ? fdt.hits() : 0;
		long misses = (fdt != null) ? fdt.misses() : 0;
		return new NodeStatus.WorkerStatus(worker.name(), worker.connections(), worker.accepted(),
				new NodeStatus.FdtStatus((fdt != null) ? fdt.openCount() : 0, hits, misses, rate(hits, misses)));
	}

	/**
	 * The sites the running table cannot serve, each with the reason (their requests get
	 * 503).
	 * @return site name to reason, empty when every site is served or the data plane is
	 * off
	 */
	public Map<String, String> unavailableSites() {
		CapuchinServer running = this.server.get();
		return (running != null) ? running.sites().unavailable() : Map.of();
	}

	private static List<NodeStatus.SiteStatus> sites(SiteTable table) {
		return table.sites().stream().map((site) -> site(site, table.unavailableReason(site))).toList();
	}

	private static NodeStatus.SiteStatus site(Site site, String unavailable) {
		return new NodeStatus.SiteStatus(site.name(), site.serverNames(), site.isDefault(),
				(site.listen() != null) ? address(site.listen()) : null, site.documentRoot().toString(), site.fdt(),
				site.locations().size(), unavailable);
	}

	private List<NodeStatus.PluginStatus> plugins(CapuchinServer running) {
		Map<String, NodeStatus.PluginStatus> plugins = new LinkedHashMap<>();
		for (PluginDescription description : this.descriptions) {
			plugins.put(description.name(), new NodeStatus.PluginStatus(description.name(), description.enabled(),
					description.profile(), description.stageNames(), null));
		}
		if (running != null) {
			for (Plugin plugin : running.plugins()) {
				NodeStatus.PluginStatus described = plugins.get(plugin.name());
				List<String> stages = (described != null) ? described.stages()
						: plugin.stages().stream().sorted().map(Enum::name).toList();
				plugins.put(plugin.name(), new NodeStatus.PluginStatus(plugin.name(), true,
						(described != null) ? described.profile() : null, stages, stateOf(plugin)));
			}
		}
		return List.copyOf(plugins.values());
	}

	private static Object stateOf(Plugin plugin) {
		try {
			return plugin.status();
		}
		catch (RuntimeException ex) {
			// a plugin's report must not cost the whole status page
			logger.warn("Plugin {} failed to report its status", plugin.name(), ex);
			return null;
		}
	}

	private Map<String, Double> latestRates() {
		Map<String, Double> latest = new LinkedHashMap<>();
		this.rates.series()
			.sites()
			.forEach((site, values) -> latest.put(site, values.isEmpty() ? 0.0 : values.get(values.size() - 1)));
		return latest;
	}

	private static Double rate(long hits, long misses) {
		return (hits + misses > 0) ? Math.round(10_000.0 * hits / (hits + misses)) / 10_000.0 : null;
	}

	/**
	 * An address as people write it: {@code 127.0.0.1:8080}, {@code [::1]:8080}.
	 * @param address the address
	 * @return the text
	 */
	static String address(InetSocketAddress address) {
		String host = (address.getAddress() != null) ? address.getAddress().getHostAddress() : address.getHostString();
		return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
	}

}
