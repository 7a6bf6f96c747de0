package dev.capuchin.app.status;

import java.time.Duration;
import java.util.List;

import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The dashboard: uptime, transport and balancing, the workers with their live connection
 * counts and open-file tables, requests per second per site, answers per site by status
 * class, the recent errors and refusals, from the same {@link StatusReader} as
 * {@code /api/status}. The uptime, workers, answers, errors and refusals are fragments
 * that htmx polls; the charts' data is JSON that the dashboard's script polls.
 */
@Controller
class DashboardController {

	private final StatusReader status;

	private final RequestRates rates;

	DashboardController(StatusReader status, RequestRates rates) {
		this.status = status;
		this.rates = rates;
	}

	@GetMapping("/console/")
	String dashboard(Model model) {
		NodeStatus status = this.status.read();
		model.addAttribute("running", status.running());
		model.addAttribute("uptime", Duration.ofSeconds(status.uptimeSeconds()));
		model.addAttribute("transport", status.transport());
		model.addAttribute("fallback", status.transportFallback());
		model.addAttribute("balancing", status.balancing());
		model.addAttribute("listeners", status.listeners());
		model.addAttribute("siteCount", status.sites().size());
		model.addAttribute("version", status.configurationVersion());
		workers(model, status.workers());
		model.addAttribute("errors", status.recentErrors());
		model.addAttribute("refusals", this.status.recentRefusals());
		answers(model);
		return "console/dashboard";
	}

	@GetMapping("/console/live/uptime")
	String uptimeFragment(Model model) {
		model.addAttribute("uptime", Duration.ofSeconds(this.status.read().uptimeSeconds()));
		return "console/dashboard :: uptime";
	}

	@GetMapping("/console/live/answers")
	String answersFragment(Model model) {
		answers(model);
		return "console/dashboard :: answers";
	}

	@GetMapping("/console/live/refusals")
	String refusalsFragment(Model model) {
		model.addAttribute("refusals", this.status.recentRefusals());
		return "console/dashboard :: refusals";
	}

	@GetMapping("/console/live/summary")
	String summaryFragment(Model model) {
		model.addAttribute("errors", this.status.recentErrors());
		model.addAttribute("refusals", this.status.recentRefusals());
		answers(model);
		return "console/dashboard :: summary";
	}

	private void answers(Model model) {
		model.addAttribute("answers", this.status.answers());
		model.addAttribute("classes", StatusClass.values());
	}

	@GetMapping("/console/live/workers")
	String workersFragment(Model model) {
		workers(model, this.status.workers());
		return "console/dashboard :: workers";
	}

	@GetMapping("/console/live/errors")
	String errorsFragment(Model model) {
		model.addAttribute("errors", this.status.recentErrors());
		return "console/dashboard :: errors";
	}

	@GetMapping("/console/metrics/requests")
	ResponseEntity<RequestRates.Series> requests() {
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(this.rates.series());
	}

	private static void workers(Model model, List<NodeStatus.WorkerStatus> workers) {
		model.addAttribute("workers", workers);
		model.addAttribute("totalConnections", workers.stream().mapToLong(NodeStatus.WorkerStatus::connections).sum());
		model.addAttribute("totalAccepted", workers.stream().mapToLong(NodeStatus.WorkerStatus::accepted).sum());
		model.addAttribute("totalHits", workers.stream().mapToLong((worker) -> worker.fdt().hits()).sum());
		model.addAttribute("totalMisses", workers.stream().mapToLong((worker) -> worker.fdt().misses()).sum());
	}

}
