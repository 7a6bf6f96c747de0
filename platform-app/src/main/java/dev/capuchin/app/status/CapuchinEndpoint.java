package dev.capuchin.app.status;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.capuchin.core.internal.fdt.OpenFileTable;
import dev.capuchin.core.internal.server.CapuchinServer;
import dev.capuchin.core.spi.Site;
import dev.capuchin.core.spi.Plugin;
import dev.capuchin.core.spi.PluginDescription;
import dev.capuchin.core.internal.worker.Worker;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code /actuator/capuchin}: what Monkey's Cheetah shell showed: the transport, each
 * worker with its connections and open-file table, the sites and the plugins.
 */
@Endpoint(id = "capuchin")
public class CapuchinEndpoint {

	private final CapuchinServer server;

	private final List<PluginDescription> descriptions;

	public CapuchinEndpoint(CapuchinServer server, List<PluginDescription> descriptions) {
		this.server = server;
		this.descriptions = List.copyOf(descriptions);
	}

	@ReadOperation
	public Report report() {
		List<WorkerReport> workers = this.server.workers().stream().map(CapuchinEndpoint::worker).toList();
		List<SiteReport> sites = this.server.sites().sites().stream().map(CapuchinEndpoint::site).toList();
		List<PluginReport> plugins = plugins();
		String transport = (this.server.transport() != null) ? this.server.transport().transport().configName() : null;
		String fallback = (this.server.transport() != null) ? this.server.transport().fallbackReason() : null;
		List<String> listeners = this.server.boundAddresses().stream().map(Object::toString).toList();
		return new Report(transport, fallback, this.server.balancing().configName(), listeners, workers, sites,
				plugins);
	}

	private static WorkerReport worker(Worker worker) {
		OpenFileTable fdt = worker.fdt();
		Fdt table = (fdt != null) ? new Fdt(fdt.openCount(), fdt.hits(), fdt.misses()) : new Fdt(0, 0, 0);
		return new WorkerReport(worker.name(), worker.connections(), worker.accepted(), table);
	}

	private static SiteReport site(Site site) {
		Map<String, String> errorPages = new LinkedHashMap<>();
		site.errorPages().forEach((status, page) -> errorPages.put(Integer.toString(status), page));
		return new SiteReport(site.name(), site.serverNames(), site.isDefault(),
				(site.listen() != null) ? site.listen().toString() : null, site.documentRoot().toString(), site.fdt(),
				site.locations().size());
	}

	/**
	 * Every plugin module on the class path, switched on or not, then any running plugin
	 * that no module describes.
	 */
	private List<PluginReport> plugins() {
		Map<String, PluginReport> reports = new LinkedHashMap<>();
		for (PluginDescription description : this.descriptions) {
			reports.put(description.name(), new PluginReport(description.name(), description.enabled(),
					description.profile(), description.stageNames()));
		}
		for (Plugin plugin : this.server.plugins()) {
			reports.computeIfAbsent(plugin.name(), (name) -> new PluginReport(name, true, null,
					plugin.stages().stream().sorted().map(Enum::name).toList()));
		}
		return List.copyOf(reports.values());
	}

	/** The whole report. */
	public record Report(String transport, String transportFallback, String balancing, List<String> listeners,
			List<WorkerReport> workers, List<SiteReport> sites, List<PluginReport> plugins) {
	}

	/** One worker. */
	public record WorkerReport(String name, int connections, long accepted, Fdt fdt) {
	}

	/** A worker's open-file table. */
	public record Fdt(long open, long hits, long misses) {
	}

	/** One site. */
	public record SiteReport(String name, List<String> serverNames, boolean isDefault, String listen,
			String documentRoot, boolean fdt, int locations) {
	}

	/** One plugin. */
	public record PluginReport(String name, boolean enabled, String profile, List<String> stages) {
	}

}
