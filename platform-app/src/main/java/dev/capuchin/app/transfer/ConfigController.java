package dev.capuchin.app.transfer;

import java.security.Principal;
import java.util.Map;

import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.app.shared.config.InvalidConfigurationException;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/config}: the whole configuration as YAML, sites and realms (with their
 * users' hashes: the export is sensitive). {@code GET} exports it; {@code PUT} imports it
 * in one transaction and swaps it in live, or with {@code ?dry-run=true} only returns the
 * difference. An invalid document gets 400 with a body that names the field.
 */
@RestController
@RequestMapping("/api/config")
class ConfigController {

	static final MediaType YAML = MediaType.parseMediaType("application/yaml;charset=UTF-8");

	private final ConfigService config;

	ConfigController(ConfigService config) {
		this.config = config;
	}

	@GetMapping
	ResponseEntity<String> export() {
		ConfigService.Snapshot snapshot = this.config.exported();
		return ResponseEntity.ok()
			.contentType(YAML)
			.header("Content-Disposition", "attachment; filename=\"capuchin-config.yaml\"")
			.body(ConfigDocument.write(snapshot));
	}

	@PutMapping
	ResponseEntity<String> importConfiguration(@RequestBody String document,
			@RequestParam(name = "dry-run", defaultValue = "false") boolean dryRun, Principal principal) {
		ConfigService.Outcome outcome = this.config.apply(ConfigDocument.readDocument(document, this.config.base()),
				principal.getName(), dryRun);
		return ResponseEntity.ok().contentType(YAML).body(outcome.diff().toYaml(outcome.version(), outcome.applied()));
	}

	@ExceptionHandler(InvalidConfigurationException.class)
	ResponseEntity<String> invalid(InvalidConfigurationException ex) {
		return ResponseEntity.status(HttpStatus.BAD_REQUEST)
			.contentType(YAML)
			.body(ConfigDocument.yaml().dump(Map.of("error", ex.getMessage())));
	}

}
