package dev.capuchin.app.upstreams;

import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.app.shared.config.ConfigurationConflictException;
import dev.capuchin.app.shared.config.InvalidConfigurationException;
import dev.capuchin.app.shared.config.InvalidFieldException;
import dev.capuchin.app.shared.console.Flash;
import dev.capuchin.app.shared.console.FormErrors;
import dev.capuchin.app.shared.console.NotFoundException;
import dev.capuchin.plugin.proxy.BalancerKind;
import dev.capuchin.plugin.proxy.Upstream;
import dev.capuchin.plugin.proxy.UpstreamServer;
import dev.capuchin.plugin.proxy.UpstreamState;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriUtils;

/**
 * The Proxy pages: every stored upstream with its balancer and servers, each server's
 * live state on this node (up, down, draining, offline until…, in flight, requests and
 * failures per minute, last health check and error), refreshed by htmx polling a fragment
 * every 2 seconds as the dashboard does; the locations that use each upstream; create,
 * edit and delete upstreams, remove, drain and re-enable servers. Every change goes
 * through {@link UpstreamChanges} and is live at once.
 */
@Controller
class ProxyController {

	private static final Pattern FIELD = Pattern
		.compile("^upstreams\\[[^\\]]*]\\.([a-z-]+)(?:\\[[0-9]+])?(?:\\.([a-z-]+))?: ");

	private static final Map<String, String> INPUTS = Map.of("name", "name", "balancer", "balancer", "servers",
			"servers", "max-fails", "maxFails", "maxFails", "maxFails", "fail-timeout", "failTimeout", "url",
			"servers");

	private final ConfigService config;

	private final UpstreamChanges changes;

	private final LiveUpstreams live;

	ProxyController(ConfigService config, UpstreamChanges changes, LiveUpstreams live) {
		this.config = config;
		this.changes = changes;
		this.live = live;
	}

	@GetMapping("/console/proxy")
	String list(Model model) {
		rows(model);
		model.addAttribute("running", this.live.running());
		return "console/proxy/list";
	}

	@GetMapping("/console/live/proxy")
	String liveFragment(Model model) {
		rows(model);
		return "console/proxy/list :: upstreams";
	}

	@GetMapping("/console/proxy/new")
	String create(Model model) {
		return form(model, null, UpstreamForm.blank(), new FormErrors());
	}

	@PostMapping("/console/proxy")
	String created(@ModelAttribute("form") UpstreamForm form, Model model, Principal principal,
			RedirectAttributes redirect) {
		try {
			ConfigService.Outcome outcome = this.changes.create(form.block(null), principal.getName());
			String name = form.name().strip();
			Flash.success(redirect, "Upstream " + name + " created (configuration version " + outcome.version()
					+ "). Point a location at it with proxy: {upstream: " + name + "}.");
			return "redirect:/console/proxy#upstream-" + name;
		}
		catch (InvalidConfigurationException ex) {
			return form(model, null, form, refused(ex));
		}
	}

	@GetMapping("/console/proxy/{name}")
	String edit(@PathVariable String name, Model model) {
		Upstream upstream = upstream(this.config.current(), name);
		return form(model, upstream, UpstreamForm.of(upstream), new FormErrors());
	}

	@PostMapping("/console/proxy/{name}")
	String edited(@PathVariable String name, @ModelAttribute("form") UpstreamForm form, Model model,
			Principal principal, RedirectAttributes redirect) {
		Upstream existing = upstream(this.config.current(), name);
		try {
			ConfigService.Outcome outcome = this.changes.replace(name, form.block(existing), principal.getName());
			Flash.success(redirect,
					outcome.applied() ? "Upstream " + name + " saved (configuration version " + outcome.version() + ")."
							: "Nothing to save: upstream " + name + " is unchanged.");
			return "redirect:/console/proxy#upstream-" + name;
		}
		catch (UpstreamNotFoundException ex) {
			throw new NotFoundException("Upstream '" + name + "'");
		}
		catch (InvalidConfigurationException ex) {
			return form(model, existing, form, refused(ex));
		}
	}

	@PostMapping("/console/proxy/{name}/servers/drain")
	String drain(@PathVariable String name, @RequestParam(defaultValue = "") String url, Principal principal,
			RedirectAttributes redirect) {
		return serverChange(name, redirect, () -> this.changes.drain(name, url, true, principal.getName()),
				"Server " + url + " of " + name + " drained: no new requests, the ones in flight finish");
	}

	@PostMapping("/console/proxy/{name}/servers/enable")
	String enable(@PathVariable String name, @RequestParam(defaultValue = "") String url, Principal principal,
			RedirectAttributes redirect) {
		return serverChange(name, redirect, () -> this.changes.drain(name, url, false, principal.getName()),
				"Server " + url + " of " + name + " enabled again");
	}

	@PostMapping("/console/proxy/{name}/servers/remove")
	String removeServer(@PathVariable String name, @RequestParam(defaultValue = "") String url, Principal principal,
			RedirectAttributes redirect) {
		return serverChange(name, redirect, () -> this.changes.removeServer(name, url, principal.getName()),
				"Server " + url + " removed from " + name);
	}

	@GetMapping("/console/proxy/{name}/delete")
	String confirmDelete(@PathVariable String name, Model model) {
		ConfigService.Snapshot snapshot = this.config.current();
		model.addAttribute("upstream", upstream(snapshot, name));
		model.addAttribute("usage", UpstreamReferences.usage(snapshot.entries()).getOrDefault(name, List.of()));
		return "console/proxy/delete";
	}

	@PostMapping("/console/proxy/{name}/delete")
	String delete(@PathVariable String name, Principal principal, RedirectAttributes redirect) {
		try {
			ConfigService.Outcome outcome = this.changes.delete(name, principal.getName());
			Flash.success(redirect, "Upstream " + name + " deleted (configuration version " + outcome.version() + ").");
			return "redirect:/console/proxy";
		}
		catch (UpstreamNotFoundException ex) {
			throw new NotFoundException("Upstream '" + name + "'");
		}
		catch (InvalidConfigurationException ex) {
			Flash.error(redirect, "Nothing was deleted: " + ex.getMessage());
			return "redirect:/console/proxy#upstream-" + name;
		}
	}

	private String serverChange(String name, RedirectAttributes redirect, java.util.function.Supplier<?> change,
			String done) {
		try {
			ConfigService.Outcome outcome = (ConfigService.Outcome) change.get();
			Flash.success(redirect, outcome.applied() ? done + " (configuration version " + outcome.version() + ")."
					: "Nothing changed: the server already was so.");
		}
		catch (UpstreamNotFoundException ex) {
			if (this.config.current().upstream(name).isEmpty()) {
				throw new NotFoundException("Upstream '" + name + "'");
			}
			Flash.error(redirect, "Nothing changed: " + ex.getMessage());
		}
		catch (InvalidConfigurationException ex) {
			Flash.error(redirect, "Nothing changed: " + ex.getMessage());
		}
		return "redirect:/console/proxy#upstream-" + segment(name);
	}

	private void rows(Model model) {
		ConfigService.Snapshot snapshot = this.config.current();
		Map<String, List<UpstreamReferences.Reference>> usage = UpstreamReferences.usage(snapshot.entries());
		Map<String, UpstreamState> states = this.live.states();
		model.addAttribute("upstreams",
				snapshot.upstreams()
					.stream()
					.map((upstream) -> UpstreamRow.of(upstream, states, usage.getOrDefault(upstream.name(), List.of())))
					.toList());
	}

	private String form(Model model, Upstream existing, UpstreamForm form, FormErrors errors) {
		model.addAttribute("existing", existing);
		model.addAttribute("form", form);
		model.addAttribute("balancers", List.of(BalancerKind.values()).stream().map(BalancerKind::key).toList());
		model.addAttribute("usage", (existing != null)
				? UpstreamReferences.usage(this.config.current().entries()).getOrDefault(existing.name(), List.of())
				: List.of());
		model.addAttribute(FormErrors.ATTRIBUTE, errors);
		return "console/proxy/form";
	}

	private static Upstream upstream(ConfigService.Snapshot snapshot, String name) {
		return snapshot.upstream(name).orElseThrow(() -> new NotFoundException("Upstream '" + name + "'"));
	}

	/**
	 * Put a refusal beside the field it names, or at the top of the form.
	 */
	static FormErrors refused(InvalidConfigurationException ex, FormErrors errors) {
		String message = ex.getMessage();
		if (ex instanceof InvalidFieldException field && INPUTS.containsKey(field.field())) {
			errors.field(INPUTS.get(field.field()), capitalized(field.problem()));
			return errors;
		}
		if (ex instanceof ConfigurationConflictException && message.startsWith("name: ")) {
			errors.field("name", capitalized(message.substring("name: ".length())));
			return errors;
		}
		Matcher matcher = FIELD.matcher(message);
		if (matcher.find()) {
			String key = matcher.group(1);
			String input = key.equals("health")
					? ("interval".equals(matcher.group(2)) ? "healthInterval" : "healthPath") : INPUTS.get(key);
			if (input != null) {
				errors.field(input, message.substring(message.indexOf('.') + 1));
				return errors;
			}
		}
		errors.global(message);
		return errors;
	}

	private static FormErrors refused(InvalidConfigurationException ex) {
		return refused(ex, new FormErrors());
	}

	private static String capitalized(String text) {
		return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
	}

	static String segment(String name) {
		return UriUtils.encodePathSegment(name, "UTF-8");
	}

	/**
	 * An upstream on the Proxy page.
	 *
	 * @param upstream the stored upstream
	 * @param servers its servers with their live state
	 * @param usage the locations that use it
	 * @param live whether the data plane reports it (a location uses it and the plugin
	 * runs)
	 */
	record UpstreamRow(Upstream upstream, List<ServerRow> servers, List<UpstreamReferences.Reference> usage,
			boolean live) {

		static UpstreamRow of(Upstream upstream, Map<String, UpstreamState> states,
				List<UpstreamReferences.Reference> usage) {
			List<ServerRow> servers = upstream.servers()
				.stream()
				.map((server) -> new ServerRow(server,
						LiveUpstreams.server(states, upstream.name(), server.url().toString())))
				.toList();
			return new UpstreamRow(upstream, servers, usage, states.containsKey(upstream.name()));
		}

	}

	/**
	 * A server on the Proxy page.
	 *
	 * @param server the stored server
	 * @param state its live state, or {@code null} when the data plane does not report it
	 */
	record ServerRow(UpstreamServer server, UpstreamState.ServerState state) {

		/**
		 * The server's condition as the page shows it.
		 * @return {@code up}, {@code down}, {@code draining}, or {@code drain set} /
		 * {@code not in use} without live state
		 */
		public String condition() {
			if (this.state != null) {
				return this.state.state().key();
			}
			return this.server.drain() ? "draining" : "not in use";
		}

	}

}
