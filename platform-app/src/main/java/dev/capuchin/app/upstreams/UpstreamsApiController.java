package dev.capuchin.app.upstreams;

import java.net.URI;
import java.security.Principal;
import java.util.List;
import java.util.Map;

import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.app.shared.config.ConfigurationConflictException;
import dev.capuchin.plugin.proxy.Upstream;
import dev.capuchin.plugin.proxy.UpstreamState;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriUtils;

/**
 * {@code /api/upstreams}: the named upstreams of the configuration document as JSON, with
 * each server's live state when the proxy plugin runs; create, replace, delete, and drain
 * or re-enable a server ({@code POST .../servers/drain} and {@code .../servers/enable}
 * with {@code {"url": "http://127.0.0.1:9001"}}). Every change goes through the
 * configuration service and is live at once. Errors are {@code {"error": "..."}} naming
 * the field: 400 for a refused value, 404 for an upstream or server that does not exist,
 * 409 for a taken name, an upstream still in use, or a configuration changed meanwhile.
 */
@RestController
@RequestMapping("/api/upstreams")
class UpstreamsApiController {

	private final ConfigService config;

	private final UpstreamChanges changes;

	private final LiveUpstreams live;

	UpstreamsApiController(ConfigService config, UpstreamChanges changes, LiveUpstreams live) {
		this.config = config;
		this.changes = changes;
		this.live = live;
	}

	@GetMapping
	List<Map<String, Object>> list() {
		ConfigService.Snapshot snapshot = this.config.current();
		Map<String, List<UpstreamReferences.Reference>> usage = UpstreamReferences.usage(snapshot.entries());
		Map<String, UpstreamState> states = this.live.states();
		return snapshot.upstreams()
			.stream()
			.map((upstream) -> UpstreamViews.view(upstream, states, usage.getOrDefault(upstream.name(), List.of())))
			.toList();
	}

	@GetMapping("/{name}")
	Map<String, Object> get(@PathVariable String name) {
		return find(name);
	}

	@PostMapping
	ResponseEntity<Map<String, Object>> create(@RequestBody Map<String, Object> body, Principal principal) {
		this.changes.create(body, principal.getName());
		String name = String.valueOf(body.get("name"));
		return ResponseEntity.created(URI.create("/api/upstreams/" + UriUtils.encodePathSegment(name, "UTF-8")))
			.body(find(name));
	}

	@PutMapping("/{name}")
	Map<String, Object> replace(@PathVariable String name, @RequestBody Map<String, Object> body, Principal principal) {
		this.changes.replace(name, body, principal.getName());
		return find(name);
	}

	@DeleteMapping("/{name}")
	ResponseEntity<Void> delete(@PathVariable String name, Principal principal) {
		this.changes.delete(name, principal.getName());
		return ResponseEntity.noContent().build();
	}

	@PostMapping("/{name}/servers/drain")
	Map<String, Object> drain(@PathVariable String name, @RequestBody ServerBody body, Principal principal) {
		this.changes.drain(name, body.url(), true, principal.getName());
		return find(name);
	}

	@PostMapping("/{name}/servers/enable")
	Map<String, Object> enable(@PathVariable String name, @RequestBody ServerBody body, Principal principal) {
		this.changes.drain(name, body.url(), false, principal.getName());
		return find(name);
	}

	private Map<String, Object> find(String name) {
		ConfigService.Snapshot snapshot = this.config.current();
		Upstream upstream = snapshot.upstream(name)
			.orElseThrow(() -> new UpstreamNotFoundException("no upstream '" + name + "'"));
		return UpstreamViews.view(upstream, this.live.states(),
				UpstreamReferences.usage(snapshot.entries()).getOrDefault(name, List.of()));
	}

	@ExceptionHandler(UpstreamNotFoundException.class)
	ResponseEntity<Map<String, String>> notFound(UpstreamNotFoundException ex) {
		return error(HttpStatus.NOT_FOUND, ex.getMessage());
	}

	@ExceptionHandler(ConfigurationConflictException.class)
	ResponseEntity<Map<String, String>> conflict(ConfigurationConflictException ex) {
		return error(HttpStatus.CONFLICT, ex.getMessage());
	}

	private static ResponseEntity<Map<String, String>> error(HttpStatus status, String message) {
		return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(Map.of("error", message));
	}

	/**
	 * The body of a drain or re-enable.
	 *
	 * @param url the server's URL as the upstream lists it
	 */
	record ServerBody(String url) {
	}

}
