package dev.capuchin.app.logs;

import java.io.IOException;
import java.util.List;

import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.app.sites.SiteEntry;
import dev.capuchin.app.shared.console.NotFoundException;
import dev.capuchin.app.rules.AccessRules;
import dev.capuchin.plugin.logger.LogDestination;
import dev.capuchin.plugin.logger.LogDestinations;
import dev.capuchin.plugin.logger.LogKind;

import org.springframework.http.CacheControl;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import jakarta.servlet.http.HttpServletResponse;

/**
 * The logs page: the last lines of a site's access or error log, filtered by a substring,
 * refreshed every 2 seconds by htmx (or paused). The file is the one the configuration
 * names for the site; a request only chooses the site and which of its two logs.
 */
@Controller
class LogsController {

	private final ConfigService config;

	private final LogDestinations files;

	LogsController(ConfigService config, LogDestinations files) {
		this.config = config;
		this.files = files;
	}

	@GetMapping("/console/logs")
	String page(@RequestParam(required = false) String site, @RequestParam(defaultValue = "access") String log,
			@RequestParam(required = false) String filter, @RequestParam(defaultValue = "false") boolean paused,
			Model model) {
		List<SiteEntry> entries = this.config.current().entries();
		model.addAttribute("sites", entries.stream().map(SiteEntry::name).toList());
		model.addAttribute("paused", paused);
		model.addAttribute("filter", (filter != null) ? filter : "");
		model.addAttribute("log", log);
		if (entries.isEmpty()) {
			model.addAttribute("site", null);
			return "console/logs/page";
		}
		SiteEntry entry = (site == null || site.isBlank()) ? entries.get(0) : find(entries, site);
		model.addAttribute("site", entry.name());
		model.addAttribute("ownLogs",
				entry.site().locations().stream().filter(LogDestinations::hasOwnLogs).map(AccessRules::label).toList());
		tail(entry, kind(log), filter, model);
		return "console/logs/page";
	}

	@GetMapping("/console/logs/tail")
	String fragment(@RequestParam String site, @RequestParam(defaultValue = "access") String log,
			@RequestParam(required = false) String filter, Model model, HttpServletResponse response) {
		response.setHeader("Cache-Control", CacheControl.noStore().getHeaderValue());
		tail(find(this.config.current().entries(), site), kind(log), filter, model);
		return "console/logs/page :: lines";
	}

	private void tail(SiteEntry entry, LogKind log, String filter, Model model) {
		LogDestination destination = this.files.destination(entry.site(), log);
		model.addAttribute("destination", destination);
		LogTail.Tail tail = LogTail.Tail.missing();
		String failure = null;
		if (destination.where() == LogDestination.Where.FILE) {
			try {
				tail = LogTail.read(destination.path(), LogTail.MAX_LINES, filter);
			}
			catch (IOException ex) {
				failure = "The file cannot be read: " + ex.getMessage();
			}
		}
		model.addAttribute("tail", tail);
		model.addAttribute("failure", failure);
		model.addAttribute("filtered", filter != null && !filter.isBlank());
	}

	private static LogKind kind(String log) {
		try {
			return LogKind.of(log);
		}
		catch (IllegalArgumentException ex) {
			throw new NotFoundException("Log '" + log + "'");
		}
	}

	private static SiteEntry find(List<SiteEntry> entries, String site) {
		return entries.stream()
			.filter((entry) -> entry.name().equals(site))
			.findFirst()
			.orElseThrow(() -> new NotFoundException("Site '" + site + "'"));
	}

}
