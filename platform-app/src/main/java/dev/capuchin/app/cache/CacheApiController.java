package dev.capuchin.app.cache;

import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.capuchin.plugin.proxy.CacheZoneState;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/cache}: the proxy cache's zones with their figures ({@code GET}), and
 * purges ({@code DELETE /api/cache/<zone>?url=...}, {@code ?prefix=...}, or the whole
 * zone). A URL is {@code scheme://host/target} as clients ask for it. Purges are audited,
 * apply to this node at once and to every node sharing the store within its poll
 * interval; {@code removed} counts this node's entries. Errors are {@code {"error":
 * "..."}}: 404 for a zone that does not exist (or no proxy running), 400 for {@code url}
 * and {@code prefix} together.
 */
@RestController
@RequestMapping("/api/cache")
class CacheApiController {

	private final CachePurges purges;

	CacheApiController(CachePurges purges) {
		this.purges = purges;
	}

	@GetMapping
	List<Map<String, Object>> zones() {
		return this.purges.zones().stream().map(CacheApiController::view).toList();
	}

	@DeleteMapping("/{zone}")
	ResponseEntity<Map<String, Object>> purge(@PathVariable String zone, @RequestParam(required = false) String url,
			@RequestParam(required = false) String prefix, Principal principal) {
		int removed;
		try {
			removed = this.purges.purge(zone, url, prefix, principal.getName());
		}
		catch (IllegalArgumentException ex) {
			return ResponseEntity.badRequest().body(Map.of("error", ex.getMessage()));
		}
		if (removed < 0) {
			return ResponseEntity.status(HttpStatus.NOT_FOUND)
				.body(Map.of("error", "zone: '" + zone + "' (no such cache zone on this node)"));
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("zone", zone);
		body.put("removed", removed);
		return ResponseEntity.ok(body);
	}

	private static Map<String, Object> view(CacheZoneState state) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("name", state.name());
		view.put("entries", state.entries());
		view.put("memory-bytes", state.memoryBytes());
		view.put("memory-size", state.memorySize());
		view.put("disk-entries", state.diskEntries());
		view.put("disk-bytes", state.diskBytes());
		view.put("disk-size", state.diskSize());
		view.put("disk-corrupt", state.diskCorrupt());
		view.put("disk-indexing", state.diskIndexing());
		view.put("hit-ratio", state.hitRatio());
		view.put("requests", state.requests());
		view.put("stored", state.stored());
		view.put("evicted", state.evicted());
		view.put("stored-per-minute", state.storedPerMinute());
		view.put("evicted-per-minute", state.evictedPerMinute());
		return view;
	}

}
