package dev.capuchin.app.status;

import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/status}: what the dashboard shows, from the same {@link StatusReader} —
 * uptime, transport and balancing, the listeners, each worker's connections and open-file
 * table with its hit rate, the sites, the plugins, the latest requests per second per
 * site, and the recent errors.
 */
@RestController
@RequestMapping("/api/status")
class StatusApiController {

	private final StatusReader status;

	StatusApiController(StatusReader status) {
		this.status = status;
	}

	@GetMapping
	ResponseEntity<NodeStatus> status() {
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(this.status.read());
	}

}
