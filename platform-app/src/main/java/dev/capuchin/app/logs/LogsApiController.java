package dev.capuchin.app.logs;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.app.sites.SiteEntry;
import dev.capuchin.plugin.logger.LogDestination;
import dev.capuchin.plugin.logger.LogDestinations;
import dev.capuchin.plugin.logger.LogKind;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/logs/{site}/{access|error}?lines=200&filter=text}: the last lines of a
 * site's log as JSON ({@code lines}, oldest first), read from the end of the file the
 * configuration names (at most 64 KiB, 500 lines). {@code destination} says where the log
 * goes: {@code file}, {@code stdout}, {@code off}, or {@code disabled} when the logger
 * plugin is not running; only a file has lines. Errors are {@code {"error": "..."}}: 400
 * for a bad {@code log} or {@code lines}, 404 for an unknown site.
 */
@RestController
class LogsApiController {

	private final ConfigService config;

	private final LogDestinations files;

	LogsApiController(ConfigService config, LogDestinations files) {
		this.config = config;
		this.files = files;
	}

	@GetMapping("/api/logs/{site}/{log}")
	ResponseEntity<Map<String, Object>> tail(@PathVariable String site, @PathVariable String log,
			@RequestParam(defaultValue = "200") String lines, @RequestParam(required = false) String filter) {
		LogKind kind;
		try {
			kind = LogKind.of(log);
		}
		catch (IllegalArgumentException ex) {
			return error(HttpStatus.BAD_REQUEST, ex.getMessage());
		}
		int count;
		try {
			count = Integer.parseInt(lines.trim());
		}
		catch (NumberFormatException ex) {
			count = -1;
		}
		if (count < 1 || count > LogTail.MAX_LINES) {
			return error(HttpStatus.BAD_REQUEST, "lines: '" + lines + "' (expected: 1.." + LogTail.MAX_LINES + ")");
		}
		SiteEntry entry = this.config.current()
			.entries()
			.stream()
			.filter((candidate) -> candidate.name().equals(site))
			.findFirst()
			.orElse(null);
		if (entry == null) {
			return error(HttpStatus.NOT_FOUND, "site: '" + site + "' does not exist");
		}
		LogDestination destination = this.files.destination(entry.site(), kind);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("site", site);
		body.put("log", kind.id());
		body.put("destination", destination.where().name().toLowerCase(Locale.ROOT));
		body.put("origin", destination.origin());
		body.put("path", (destination.path() != null) ? destination.path().toString() : null);
		LogTail.Tail tail = LogTail.Tail.missing();
		if (destination.path() != null) {
			try {
				tail = LogTail.read(destination.path(), count, filter);
			}
			catch (IOException ex) {
				return error(HttpStatus.CONFLICT,
						"path: " + destination.path() + " cannot be read: " + ex.getMessage());
			}
		}
		else {
			body.put("note", destination.explanation());
		}
		body.put("exists", tail.exists());
		body.put("size", tail.size());
		body.put("partial", tail.partial());
		body.put("lines", tail.lines());
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(body);
	}

	private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String message) {
		return ResponseEntity.status(status).body(Map.of("error", message));
	}

}
