package dev.capuchin.app.transfer;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.app.shared.config.InvalidConfigurationException;
import dev.capuchin.app.monkey.MonkeyImporter;
import dev.capuchin.app.shared.console.Flash;
import dev.capuchin.app.audit.LineDiff;
import dev.capuchin.core.spi.Plugin;
import jakarta.servlet.http.HttpSession;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Import/Export: the whole configuration downloaded as the YAML document of
 * {@code /api/config}, and a document uploaded or pasted, checked, shown as a difference
 * (a dry run) on a confirmation page, then applied. A Monkey configuration directory on
 * this server is imported the same way: its sites join the configuration (replacing
 * stored sites of the same name), and the confirmation page adds the report of every key
 * and the server properties that bind at start. The checked document waits in the session
 * (one per session) and is applied only if the configuration did not change meanwhile.
 */
@Controller
class TransferController {

	static final String PENDING = TransferController.class.getName() + ".pending";

	private static final MediaType YAML = MediaType.parseMediaType("application/yaml;charset=UTF-8");

	private final ConfigService config;

	private final ObjectProvider<Plugin> plugins;

	TransferController(ConfigService config, ObjectProvider<Plugin> plugins) {
		this.config = config;
		this.plugins = plugins;
	}

	@GetMapping("/console/transfer")
	String transfer(Model model) {
		model.addAttribute("version", this.config.current().version());
		if (!model.containsAttribute("document")) {
			model.addAttribute("document", "");
		}
		if (!model.containsAttribute("directory")) {
			model.addAttribute("directory", "");
		}
		return "console/transfer";
	}

	@GetMapping("/console/export")
	ResponseEntity<String> export() {
		ConfigService.Snapshot snapshot = this.config.exported();
		return ResponseEntity.ok()
			.contentType(YAML)
			.header("Content-Disposition", "attachment; filename=\"capuchin-config-v" + snapshot.version() + ".yaml\"")
			.body(ConfigDocument.write(snapshot));
	}

	@PostMapping("/console/import")
	String check(@RequestParam(name = "file", required = false) MultipartFile file,
			@RequestParam(name = "document", defaultValue = "") String pasted, Principal principal, HttpSession session,
			Model model) throws IOException {
		String document = (file != null && !file.isEmpty()) ? new String(file.getBytes(), StandardCharsets.UTF_8)
				: pasted;
		try {
			ConfigService.Outcome outcome = this.config.apply(ConfigDocument.readDocument(document, this.config.base()),
					principal.getName(), true);
			Pending pending = new Pending(UUID.randomUUID().toString(), document, outcome.version(), "");
			session.setAttribute(PENDING, pending);
			model.addAttribute("pending", pending);
			model.addAttribute("changes", changes(outcome.diff()));
			return "console/import-confirm";
		}
		catch (InvalidConfigurationException ex) {
			model.addAttribute("error", ex.getMessage());
			model.addAttribute("document", (document.length() <= 512 * 1024) ? document : "");
			return transfer(model);
		}
	}

	@PostMapping("/console/import/monkey")
	String checkMonkey(@RequestParam(name = "directory", defaultValue = "") String directory, Principal principal,
			HttpSession session, Model model) {
		try {
			Set<String> running = this.plugins.stream().map(Plugin::name).collect(Collectors.toSet());
			MonkeyImporter.Result result = new MonkeyImporter(this.config, running).run(directory, principal.getName(),
					true);
			String document = ConfigDocument.write(result.entries(), result.outcome().version());
			Pending pending = new Pending(UUID.randomUUID().toString(), document, result.outcome().version(),
					"Monkey configuration " + result.imported().directory());
			session.setAttribute(PENDING, pending);
			model.addAttribute("pending", pending);
			model.addAttribute("changes", changes(result.outcome().diff()));
			model.addAttribute("report", result.report());
			model.addAttribute("serverConfig", result.serverYaml());
			return "console/import-confirm";
		}
		catch (InvalidConfigurationException ex) {
			model.addAttribute("directoryError", ex.getMessage());
			model.addAttribute("directory", (directory.length() <= 4096) ? directory : "");
			return transfer(model);
		}
	}

	@PostMapping("/console/import/apply")
	String apply(@RequestParam String id, Principal principal, HttpSession session, RedirectAttributes redirect) {
		Object stored = session.getAttribute(PENDING);
		if (!(stored instanceof Pending pending) || !pending.id().equals(id)) {
			Flash.error(redirect, "That import is no longer waiting; upload or paste the document again.");
			return "redirect:/console/transfer";
		}
		session.removeAttribute(PENDING);
		long current = this.config.current().version();
		if (current != pending.version()) {
			Flash.error(redirect, "The configuration changed since the check (version " + pending.version() + " is now "
					+ current + "); nothing was imported. Check the document again.");
			return "redirect:/console/transfer";
		}
		try {
			ConfigService.Outcome outcome = this.config
				.apply(ConfigDocument.readDocument(pending.document(), this.config.base()), principal.getName(), false);
			boolean document = pending.source().isEmpty();
			Flash.success(redirect,
					outcome.applied() ? (document ? "Imported" : "Imported the " + pending.source()) + ": "
							+ outcome.diff().changes().size() + " site change(s), " + outcome.diff().realms().size()
							+ " realm change(s), " + outcome.diff().upstreams().size() + " upstream change(s), "
							+ outcome.diff().clients().size() + " OAuth client change(s), configuration version "
							+ outcome.version() + "."
							: "Nothing to import: the " + (document ? "document" : pending.source())
									+ " matches the configuration.");
			return "redirect:/console/sites";
		}
		catch (InvalidConfigurationException ex) {
			Flash.error(redirect, "Nothing was imported: " + ex.getMessage());
			return "redirect:/console/transfer";
		}
	}

	private static List<ChangeView> changes(ConfigDiff diff) {
		List<ChangeView> views = new ArrayList<>();
		for (ConfigDiff.Change change : diff.changes()) {
			views.add(new ChangeView(change.site(), change.kind().name().toLowerCase(Locale.ROOT),
					LineDiff.between(change.before(), change.after()), "site " + change.site()));
		}
		for (ConfigDiff.RealmChange change : diff.realms()) {
			views.add(new ChangeView(change.realm(), change.kind().name().toLowerCase(Locale.ROOT),
					LineDiff.between(change.before(), change.after()), "realm " + change.realm()));
		}
		for (ConfigDiff.UpstreamChange change : diff.upstreams()) {
			views.add(new ChangeView(change.upstream(), change.kind().name().toLowerCase(Locale.ROOT),
					LineDiff.between(change.before(), change.after()), "upstream " + change.upstream()));
		}
		for (ConfigDiff.ClientChange change : diff.clients()) {
			views.add(new ChangeView(change.clientId(), change.kind().name().toLowerCase(Locale.ROOT),
					LineDiff.between(change.before(), change.after()), "oauth-client " + change.clientId()));
		}
		for (ConfigDiff.OpenIdLoginChange change : diff.openidLogins()) {
			views.add(new ChangeView(change.login(), change.kind().name().toLowerCase(Locale.ROOT),
					LineDiff.between(change.before(), change.after()), "openid-login " + change.login()));
		}
		return views;
	}

	/**
	 * A checked document waiting for confirmation.
	 *
	 * @param id what the confirmation form names
	 * @param document the YAML text
	 * @param version the configuration version it was checked against
	 * @param source what it came from, for messages: empty for a document,
	 * {@code Monkey configuration /etc/monkey} for a Monkey import
	 */
	record Pending(String id, String document, long version, String source) implements Serializable {
	}

	/**
	 * One site's or realm's change on the confirmation page.
	 *
	 * @param site the site's or realm's name
	 * @param kind {@code added}, {@code changed} or {@code removed}
	 * @param diff the line difference of its YAML
	 * @param label what changed, such as {@code site shop} or {@code realm Staff}
	 */
	record ChangeView(String site, String kind, List<LineDiff.Row> diff, String label) {
	}

}
