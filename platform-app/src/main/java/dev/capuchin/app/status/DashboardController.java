package dev.capuchin.app.status;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.core.internal.fdt.OpenFileTable;
import dev.capuchin.core.internal.server.CapuchinServer;
import dev.capuchin.core.internal.worker.Worker;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The dashboard: uptime, transport and balancing, the workers with their live connection
 * counts and open-file tables, requests per second per site, and the recent errors. The
 * workers and errors are fragments that htmx polls; the chart's data is JSON that the
 * dashboard's script polls.
 */
@Controller
class DashboardController {

	private final ObjectProvider<CapuchinServer> server;

	private final RequestCounter counter;

	private final RequestRates rates;

	private final ConfigService config;

	DashboardController(ObjectProvider<CapuchinServer> server, RequestCounter counter, RequestRates rates,
			ConfigService config) {
		this.server = server;
		this.counter = counter;
		this.rates = rates;
		this.config = config;
	}

	@GetMapping("/console/")
	String dashboard(Model model) {
		CapuchinServer running = this.server.getIfAvailable();
		model.addAttribute("running", running != null && running.isRunning());
		model.addAttribute("uptime", Duration.ofMillis(ManagementFactory.getRuntimeMXBean().getUptime()));
		if (running != null) {
			model.addAttribute("transport",
					(running.transport() != null) ? running.transport().transport().configName() : "–");
			model.addAttribute("fallback", (running.transport() != null) ? running.transport().fallbackReason() : null);
			model.addAttribute("balancing", running.balancing().configName());
			model.addAttribute("listeners",
					running.boundAddresses().stream().map(DashboardController::address).toList());
			model.addAttribute("siteCount", running.sites().sites().size());
		}
		model.addAttribute("version", this.config.appliedVersion());
		workers(model);
		errors(model);
		return "console/dashboard";
	}

	@GetMapping("/console/live/workers")
	String workersFragment(Model model) {
		workers(model);
		return "console/dashboard :: workers";
	}

	@GetMapping("/console/live/errors")
	String errorsFragment(Model model) {
		errors(model);
		return "console/dashboard :: errors";
	}

	@GetMapping("/console/metrics/requests")
	ResponseEntity<RequestRates.Series> requests() {
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(this.rates.series());
	}

	private static String address(InetSocketAddress address) {
		String host = (address.getAddress() != null) ? address.getAddress().getHostAddress() : address.getHostString();
		return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
	}

	private void workers(Model model) {
		CapuchinServer running = this.server.getIfAvailable();
		List<WorkerRow> rows = (running != null) ? running.workers().stream().map(WorkerRow::of).toList() : List.of();
		model.addAttribute("workers", rows);
		model.addAttribute("totalConnections", rows.stream().mapToLong(WorkerRow::connections).sum());
		model.addAttribute("totalAccepted", rows.stream().mapToLong(WorkerRow::accepted).sum());
		model.addAttribute("totalHits", rows.stream().mapToLong(WorkerRow::hits).sum());
		model.addAttribute("totalMisses", rows.stream().mapToLong(WorkerRow::misses).sum());
	}

	private void errors(Model model) {
		model.addAttribute("errors", this.counter.recentErrors());
	}

	/**
	 * One worker on the dashboard.
	 *
	 * @param name the worker's name
	 * @param connections open connections now
	 * @param accepted connections accepted since start
	 * @param open files open in its table
	 * @param hits table hits
	 * @param misses table misses
	 */
	record WorkerRow(String name, long connections, long accepted, long open, long hits, long misses) {

		static WorkerRow of(Worker worker) {
			OpenFileTable fdt = worker.fdt();
			return new WorkerRow(worker.name(), worker.connections(), worker.accepted(),
					(fdt != null) ? fdt.openCount() : 0, (fdt != null) ? fdt.hits() : 0,
					(fdt != null) ? fdt.misses() : 0);
		}

	}

}
