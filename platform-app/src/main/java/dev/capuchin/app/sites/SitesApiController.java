package dev.capuchin.app.sites;

import dev.capuchin.app.audit.AuditAction;
import dev.capuchin.app.shared.api.ApiException;
import java.net.URI;
import java.security.Principal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import dev.capuchin.app.transfer.ConfigDocument;
import dev.capuchin.app.shared.config.ConfigService;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/sites}: the sites as JSON, with the keys of their entries in the
 * configuration document (locations included). Every change builds the whole new
 * configuration and goes through {@link ConfigService#apply}: validated, written in one
 * transaction with the version bump and the audit entries, swapped in live. Every answer
 * names the items the change removed ({@code removed}: access rules, locations, realm
 * references, plugin blocks, whole sites), so that nothing goes silently. With
 * {@code ?dry-run=true} a change only returns its difference.
 */
@RestController
@RequestMapping("/api/sites")
class SitesApiController {

	private final ConfigService config;

	private final DefaultLogs logs;

	SitesApiController(ConfigService config, DefaultLogs logs) {
		this.config = config;
		this.logs = logs;
	}

	@GetMapping
	List<Map<String, Object>> list() {
		return this.config.current().entries().stream().map(ConfigDocument::siteMap).toList();
	}

	@GetMapping("/{name}")
	Map<String, Object> site(@PathVariable String name) {
		List<SiteEntry> entries = this.config.current().entries();
		return ConfigDocument.siteMap(entries.get(indexOf(entries, name)));
	}

	@PostMapping
	ResponseEntity<ChangeOutcome> create(@RequestBody Map<String, Object> body,
			@RequestParam(name = "dry-run", defaultValue = "false") boolean dryRun, Principal principal) {
		SiteEntry entry = SiteJson.read(this.logs.apply(body), this.config.base(), true);
		ChangeOutcome outcome = change(principal, dryRun, (entries) -> {
			if (entries.stream().anyMatch((existing) -> existing.name().equals(entry.name()))) {
				throw ApiException.conflict("name: a site named '" + entry.name() + "' exists already");
			}
			entries.add(entry);
			return entries;
		});
		return dryRun ? ResponseEntity.ok(outcome)
				: ResponseEntity.created(URI.create("/api/sites/" + entry.name())).body(outcome);
	}

	@PutMapping("/{name}")
	ChangeOutcome replace(@PathVariable String name, @RequestBody Map<String, Object> body,
			@RequestParam(name = "dry-run", defaultValue = "false") boolean dryRun, Principal principal) {
		Object named = body.get("name");
		if (named != null && !name.equals(String.valueOf(named))) {
			throw ApiException.badRequest("name: '" + named + "' (expected: '" + name
					+ "'; a site's name cannot change, create a new site instead)");
		}
		return change(principal, dryRun, (entries) -> {
			int index = indexOf(entries, name);
			Map<String, Object> keys = new LinkedHashMap<>(body);
			keys.put("name", name);
			entries.set(index, SiteJson.read(keys, this.config.base(), entries.get(index).enabled()));
			return entries;
		});
	}

	@DeleteMapping("/{name}")
	ChangeOutcome delete(@PathVariable String name,
			@RequestParam(name = "dry-run", defaultValue = "false") boolean dryRun, Principal principal) {
		return change(principal, dryRun, (entries) -> {
			entries.remove(indexOf(entries, name));
			return entries;
		});
	}

	@PostMapping("/{name}/enable")
	ChangeOutcome enable(@PathVariable String name,
			@RequestParam(name = "dry-run", defaultValue = "false") boolean dryRun, Principal principal) {
		return switchTo(name, true, dryRun, principal);
	}

	@PostMapping("/{name}/disable")
	ChangeOutcome disable(@PathVariable String name,
			@RequestParam(name = "dry-run", defaultValue = "false") boolean dryRun, Principal principal) {
		return switchTo(name, false, dryRun, principal);
	}

	private ChangeOutcome switchTo(String name, boolean enabled, boolean dryRun, Principal principal) {
		return change(principal, dryRun, (entries) -> {
			int index = indexOf(entries, name);
			entries.set(index, new SiteEntry(entries.get(index).site(), enabled));
			return entries;
		});
	}

	/**
	 * Read the stored configuration, change it and apply it as one step: {@code apply} is
	 * synchronized on the service, so holding its monitor keeps any other change in this
	 * process from landing between the read and the apply.
	 */
	private ChangeOutcome change(Principal principal, boolean dryRun, UnaryOperator<List<SiteEntry>> edit) {
		synchronized (this.config) {
			List<SiteEntry> before = this.config.current().entries();
			List<SiteEntry> entries = edit.apply(new ArrayList<>(before));
			return ChangeOutcome.of(this.config.apply(entries, principal.getName(), dryRun), dryRun,
					removed(before, entries));
		}
	}

	/** The items a change takes away, by name, so that no removal goes unsaid. */
	private static List<String> removed(List<SiteEntry> before, List<SiteEntry> after) {
		Map<String, SiteEntry> now = new LinkedHashMap<>();
		after.forEach((entry) -> now.put(entry.name(), entry));
		List<String> removed = new ArrayList<>();
		for (SiteEntry entry : before) {
			SiteItems.between(entry, now.get(entry.name()))
				.stream()
				.filter((change) -> change.action() == AuditAction.REMOVED)
				.forEach((change) -> removed.add(change.target()));
		}
		return removed;
	}

	private static int indexOf(List<SiteEntry> entries, String name) {
		for (int i = 0; i < entries.size(); i++) {
			if (entries.get(i).name().equals(name)) {
				return i;
			}
		}
		throw ApiException.notFound("site '" + name + "'");
	}

}
