package dev.capuchin.app.plugins;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.capuchin.core.internal.server.CapuchinServer;
import dev.capuchin.core.spi.Plugin;
import dev.capuchin.core.spi.PluginDescription;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The plugins page: every plugin module on the class path, switched on or not, with the
 * profile that switches it on and its stages, then the running plugins that no module
 * describes (the console's own request counter).
 */
@Controller
class PluginsController {

	private final ObjectProvider<PluginDescription> descriptions;

	private final ObjectProvider<CapuchinServer> server;

	PluginsController(ObjectProvider<PluginDescription> descriptions, ObjectProvider<CapuchinServer> server) {
		this.descriptions = descriptions;
		this.server = server;
	}

	@GetMapping("/console/plugins")
	String plugins(Model model) {
		Map<String, PluginRow> rows = new LinkedHashMap<>();
		this.descriptions.orderedStream()
			.forEach((description) -> rows.put(description.name(), new PluginRow(description.name(),
					description.enabled(), description.profile(), description.stageNames(), null, false)));
		CapuchinServer running = this.server.getIfAvailable();
		List<Plugin> plugins = (running != null) ? running.plugins() : List.of();
		for (Plugin plugin : plugins) {
			PluginRow described = rows.get(plugin.name());
			List<String> stages = plugin.stages().stream().sorted().map(Enum::name).toList();
			rows.put(plugin.name(),
					(described != null)
							? new PluginRow(described.name(), true, described.profile(), stages, plugin.order(), true)
							: new PluginRow(plugin.name(), true, null, stages, plugin.order(), true));
		}
		model.addAttribute("plugins", List.copyOf(rows.values()));
		return "console/plugins";
	}

	/**
	 * One plugin on the page.
	 *
	 * @param name its name
	 * @param enabled whether it is switched on
	 * @param profile the profile that switches it on, or {@code null} for a built-in one
	 * @param stages its stages, in pipeline order
	 * @param order its order among the plugins of a stage, when running
	 * @param running whether the data plane runs it
	 */
	record PluginRow(String name, boolean enabled, String profile, List<String> stages, Integer order,
			boolean running) {
	}

}
