package dev.capuchin.app.monkey;

import java.security.Principal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.capuchin.app.transfer.ConfigDiff;
import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.core.spi.Plugin;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/config/monkey}: imports Monkey's own configuration directory, a
 * directory on this server named in a JSON body ({@code {"directory": "/etc/monkey"}}),
 * through the configuration service — or, with {@code ?dry-run=true}, only answers what
 * it would change. The answer is JSON: the difference, a report line for every key of
 * Monkey's files, and the {@code capuchin.*} properties that bind at start. Bad input
 * gets 400 with {@code {"error": "..."}} naming Monkey's file and line. Only JSON is
 * accepted, so a cross-site form cannot post here.
 */
@RestController
class MonkeyImportController {

	private final ConfigService config;

	private final ObjectProvider<Plugin> plugins;

	MonkeyImportController(ConfigService config, ObjectProvider<Plugin> plugins) {
		this.config = config;
		this.plugins = plugins;
	}

	@PostMapping(path = "/api/config/monkey", consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = MediaType.APPLICATION_JSON_VALUE)
	Map<String, Object> importMonkey(@RequestBody MonkeyImportRequest request,
			@RequestParam(name = "dry-run", defaultValue = "false") boolean dryRun, Principal principal) {
		Set<String> running = this.plugins.stream().map(Plugin::name).collect(Collectors.toSet());
		MonkeyImporter.Result result = new MonkeyImporter(this.config, running)
			.run((request != null) ? request.directory() : null, principal.getName(), dryRun);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("directory", result.imported().directory().toString());
		body.put("version", result.outcome().version());
		body.put("applied", result.outcome().applied());
		body.put("changes", changes(result.outcome().diff()));
		body.put("report", report(result.report()));
		body.put("serverConfig", result.serverYaml());
		return body;
	}

	private static List<Map<String, Object>> changes(ConfigDiff diff) {
		List<Map<String, Object>> changes = new ArrayList<>();
		for (ConfigDiff.Change change : diff.changes()) {
			Map<String, Object> item = new LinkedHashMap<>();
			item.put("site", change.site());
			item.put("change", change.kind().name().toLowerCase(Locale.ROOT));
			item.put("before", change.before());
			item.put("after", change.after());
			changes.add(item);
		}
		return changes;
	}

	private static List<Map<String, Object>> report(List<ReportLine> lines) {
		List<Map<String, Object>> report = new ArrayList<>();
		for (ReportLine line : lines) {
			Map<String, Object> item = new LinkedHashMap<>();
			item.put("file", line.file());
			item.put("line", line.line());
			item.put("section", line.section());
			item.put("key", line.key());
			item.put("mapped", line.mapped());
			item.put("detail", line.detail());
			item.put("text", line.text());
			report.add(item);
		}
		return report;
	}

	@ExceptionHandler(HttpMessageNotReadableException.class)
	ResponseEntity<Map<String, String>> unreadable(HttpMessageNotReadableException ex) {
		return ResponseEntity.status(HttpStatus.BAD_REQUEST)
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("error", "body: not a JSON object (expected: {\"directory\": \"/etc/monkey\"})"));
	}

	/**
	 * The request body.
	 *
	 * @param directory Monkey's configuration directory on this server
	 */
	record MonkeyImportRequest(String directory) {
	}

}
