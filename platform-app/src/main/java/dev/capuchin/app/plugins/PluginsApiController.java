package dev.capuchin.app.plugins;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.capuchin.core.internal.server.CapuchinServer;
import dev.capuchin.core.spi.Plugin;
import dev.capuchin.core.spi.PluginDescription;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/plugins}: what the console's plugins page shows — every plugin module,
 * whether it is on, the profile that switches it on, its stages and order, then the
 * running plugins no module describes.
 */
@RestController
@RequestMapping("/api/plugins")
class PluginsApiController {

	private final ObjectProvider<PluginDescription> descriptions;

	private final ObjectProvider<CapuchinServer> server;

	PluginsApiController(ObjectProvider<PluginDescription> descriptions, ObjectProvider<CapuchinServer> server) {
		this.descriptions = descriptions;
		this.server = server;
	}

	@GetMapping
	List<PluginView> plugins() {
		Map<String, PluginView> views = new LinkedHashMap<>();
		this.descriptions.orderedStream()
			.forEach((description) -> views.put(description.name(), new PluginView(description.name(),
					description.enabled(), description.profile(), description.stageNames(), null, false)));
		CapuchinServer running = this.server.getIfAvailable();
		for (Plugin plugin : (running != null) ? running.plugins() : List.<Plugin>of()) {
			PluginView described = views.get(plugin.name());
			List<String> stages = plugin.stages().stream().sorted().map(Enum::name).toList();
			views.put(plugin.name(), new PluginView(plugin.name(), true,
					(described != null) ? described.profile() : null, stages, plugin.order(), true));
		}
		return List.copyOf(views.values());
	}

	/**
	 * One plugin.
	 *
	 * @param name its name
	 * @param enabled whether it is switched on
	 * @param profile the profile that switches it on, or {@code null} for a built-in one
	 * @param stages its stages, in pipeline order
	 * @param order its order among the plugins of a stage, when running
	 * @param running whether the data plane runs it
	 */
	record PluginView(String name, boolean enabled, String profile, List<String> stages, Integer order,
			boolean running) {
	}

}
