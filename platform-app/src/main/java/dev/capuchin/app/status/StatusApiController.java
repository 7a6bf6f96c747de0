package dev.capuchin.app.status;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.core.internal.fdt.OpenFileTable;
import dev.capuchin.core.internal.server.CapuchinServer;
import dev.capuchin.core.internal.worker.Worker;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/status}: what the dashboard shows, from the same sources — uptime,
 * transport and balancing, the listeners, each worker's connections and open-file table
 * with its hit rate, the latest requests per second per site, and the recent errors.
 */
@RestController
@RequestMapping("/api/status")
class StatusApiController {

	private final ObjectProvider<CapuchinServer> server;

	private final RequestCounter counter;

	private final RequestRates rates;

	private final ConfigService config;

	StatusApiController(ObjectProvider<CapuchinServer> server, RequestCounter counter, RequestRates rates,
			ConfigService config) {
		this.server = server;
		this.counter = counter;
		this.rates = rates;
		this.config = config;
	}

	@GetMapping
	ResponseEntity<Status> status() {
		long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
		CapuchinServer running = this.server.getIfAvailable();
		List<WorkerView> workers = (running != null) ? running.workers().stream().map(WorkerView::of).toList()
				: List.of();
		long hits = workers.stream().mapToLong((worker) -> worker.fdt().hits()).sum();
		long misses = workers.stream().mapToLong((worker) -> worker.fdt().misses()).sum();
		Totals totals = new Totals(workers.stream().mapToLong(WorkerView::connections).sum(),
				workers.stream().mapToLong(WorkerView::accepted).sum(), hits, misses, rate(hits, misses));
		Status status = new Status(running != null && running.isRunning(), uptime / 1000,
				Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime()),
				(running != null && running.transport() != null) ? running.transport().transport().configName() : null,
				(running != null && running.transport() != null) ? running.transport().fallbackReason() : null,
				(running != null) ? running.balancing().configName() : null,
				(running != null) ? running.boundAddresses().stream().map(StatusApiController::address).toList()
						: List.of(),
				(running != null) ? running.sites().sites().size() : 0, this.config.appliedVersion(), workers, totals,
				latestRates(this.rates.series()), this.counter.recentErrors());
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(status);
	}

	private static Map<String, Double> latestRates(RequestRates.Series series) {
		Map<String, Double> latest = new LinkedHashMap<>();
		series.sites()
			.forEach((site, values) -> latest.put(site, values.isEmpty() ? 0.0 : values.get(values.size() - 1)));
		return latest;
	}

	private static Double rate(long hits, long misses) {
		return (hits + misses > 0) ? Math.round(10_000.0 * hits / (hits + misses)) / 10_000.0 : null;
	}

	private static String address(InetSocketAddress address) {
		String host = (address.getAddress() != null) ? address.getAddress().getHostAddress() : address.getHostString();
		return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
	}

	/**
	 * The node's state.
	 *
	 * @param running whether the data plane runs
	 * @param uptimeSeconds seconds since the process started
	 * @param startedAt when it started
	 * @param transport the transport ({@code epoll}, {@code io-uring}, {@code nio})
	 * @param transportFallback why a native transport is not used, or {@code null}
	 * @param balancing how connections are spread over the workers
	 * @param listeners the data plane's bound addresses
	 * @param sites how many sites are served
	 * @param configurationVersion the configuration version served
	 * @param workers each worker
	 * @param totals the workers' sums
	 * @param requestsPerSecond per site, the rate over the last sampling interval
	 * @param recentErrors the last responses with status 500 and above or a plugin
	 * failure
	 */
	record Status(boolean running, @JsonProperty("uptime-seconds") long uptimeSeconds,
			@JsonProperty("started-at") Instant startedAt, String transport,
			@JsonProperty("transport-fallback") String transportFallback, String balancing, List<String> listeners,
			int sites, @JsonProperty("configuration-version") long configurationVersion, List<WorkerView> workers,
			Totals totals, @JsonProperty("requests-per-second") Map<String, Double> requestsPerSecond,
			@JsonProperty("recent-errors") List<RequestCounter.RecentError> recentErrors) {
	}

	/**
	 * One worker.
	 *
	 * @param name its name
	 * @param connections open connections now
	 * @param accepted connections accepted since start
	 * @param fdt its open-file table
	 */
	record WorkerView(String name, long connections, long accepted, FdtView fdt) {

		static WorkerView of(Worker worker) {
			OpenFileTable fdt = worker.fdt();
			long hits = (fdt != null) ? fdt.hits() : 0;
			long misses = (fdt != null) ? fdt.misses() : 0;
			return new WorkerView(worker.name(), worker.connections(), worker.accepted(),
					new FdtView((fdt != null) ? fdt.openCount() : 0, hits, misses, rate(hits, misses)));
		}

	}

	/**
	 * A worker's open-file table.
	 *
	 * @param open files open in it
	 * @param hits lookups that found an open file
	 * @param misses lookups that opened one
	 * @param hitRate hits over lookups, 0 to 1, or {@code null} before the first lookup
	 */
	record FdtView(long open, long hits, long misses, @JsonProperty("hit-rate") Double hitRate) {
	}

	/**
	 * The workers' sums.
	 *
	 * @param connections open connections
	 * @param accepted connections accepted since start
	 * @param fdtHits open-file table hits
	 * @param fdtMisses open-file table misses
	 * @param fdtHitRate hits over lookups, or {@code null} before the first lookup
	 */
	record Totals(long connections, long accepted, @JsonProperty("fdt-hits") long fdtHits,
			@JsonProperty("fdt-misses") long fdtMisses, @JsonProperty("fdt-hit-rate") Double fdtHitRate) {
	}

}
