package dev.capuchin.app.rules;

import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.plugin.mandril.MandrilPlugin;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/access-rules}: the mandril rules of every site and location as JSON.
 * {@code GET} lists them; {@code POST} adds one and {@code DELETE} removes one, both with
 * the rule in the body ({@code {"site": "shop", "location": null, "kind": "ip-deny",
 * "value": "10.0.0.0/8"}}) and {@code ?dry-run=true} to only check. Each change is one
 * configuration version, live at once. Errors are {@code {"error": "..."}} naming the
 * field: 400 invalid, 404 no such site, location or rule, 409 the rule exists already.
 */
@RestController
@RequestMapping("/api/access-rules")
class AccessRulesController {

	private final AccessRules rules;

	private final ConfigService config;

	private final ObjectProvider<MandrilPlugin> plugin;

	AccessRulesController(AccessRules rules, ConfigService config, ObjectProvider<MandrilPlugin> plugin) {
		this.rules = rules;
		this.config = config;
		this.plugin = plugin;
	}

	@GetMapping
	Map<String, Object> list() {
		ConfigService.Snapshot snapshot = this.config.current();
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("version", snapshot.version());
		body.put("enforced", this.plugin.getIfAvailable() != null);
		body.put("rules", AccessRules.list(snapshot.entries()).stream().map(AccessRulesController::json).toList());
		return body;
	}

	@PostMapping
	ResponseEntity<Map<String, Object>> add(@RequestBody RuleRequest request,
			@RequestParam(name = "dry-run", defaultValue = "false") boolean dryRun, Principal principal) {
		AccessRules.Change change = this.rules.add(request.site(), request.location(), request.kind(), request.value(),
				principal.getName(), dryRun);
		return ResponseEntity.status(change.outcome().applied() ? HttpStatus.CREATED : HttpStatus.OK)
			.body(outcome(change));
	}

	@DeleteMapping
	Map<String, Object> remove(@RequestBody RuleRequest request,
			@RequestParam(name = "dry-run", defaultValue = "false") boolean dryRun, Principal principal) {
		return outcome(this.rules.remove(request.site(), request.location(), request.kind(), request.value(),
				principal.getName(), dryRun));
	}

	@ExceptionHandler(AccessRuleException.class)
	ResponseEntity<Map<String, String>> refused(AccessRuleException ex) {
		HttpStatus status = switch (ex.reason()) {
			case INVALID -> HttpStatus.BAD_REQUEST;
			case NOT_FOUND -> HttpStatus.NOT_FOUND;
			case CONFLICT -> HttpStatus.CONFLICT;
		};
		return ResponseEntity.status(status).body(Map.of("error", ex.getMessage()));
	}

	@ExceptionHandler(HttpMessageNotReadableException.class)
	ResponseEntity<Map<String, String>> unreadable(HttpMessageNotReadableException ex) {
		return ResponseEntity.badRequest()
			.body(Map.of("error", "body: expected a JSON object with site, location, kind and value"));
	}

	private static Map<String, Object> outcome(AccessRules.Change change) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("version", change.outcome().version());
		body.put("applied", change.outcome().applied());
		body.put("rule", json(change.rule()));
		return body;
	}

	static Map<String, Object> json(AccessRule rule) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("site", rule.site());
		body.put("location", rule.location());
		body.put("kind", rule.kind().id());
		body.put("value", rule.value());
		body.put("description", rule.description());
		return body;
	}

	/**
	 * A rule in a request body.
	 *
	 * @param site the site's name
	 * @param location the location's path or expression, or {@code null} for the whole
	 * site
	 * @param kind {@code ip-allow}, {@code ip-deny}, {@code uri-deny} or
	 * {@code hotlink-deny}
	 * @param value the address, block or path rule
	 */
	record RuleRequest(String site, String location, String kind, String value) {
	}

}
