package dev.capuchin.app.sites;

import java.util.ArrayList;
import java.util.List;

import dev.capuchin.core.spi.PluginDescription;

/**
 * A handler as the location form offers it: every handler is offered, and one whose
 * plugin does not run on this node says how to switch it on (a location may be prepared
 * for other nodes, or before a restart).
 *
 * @param handler the handler
 * @param enabled whether its plugin runs here (always for static files)
 * @param note why it would not answer here, or {@code null}
 */
public record HandlerChoice(LocationHandler handler, boolean enabled, String note) {

	/**
	 * The choices, in the form's order, from the descriptions of the plugin modules on
	 * the class path.
	 * @param descriptions the descriptions
	 * @return one choice per handler
	 */
	static List<HandlerChoice> of(List<PluginDescription> descriptions) {
		List<HandlerChoice> choices = new ArrayList<>();
		for (LocationHandler handler : LocationHandler.values()) {
			if (handler.plugin() == null) {
				choices.add(new HandlerChoice(handler, true, null));
				continue;
			}
			PluginDescription description = descriptions.stream()
				.filter((candidate) -> candidate.name().equals(handler.plugin()))
				.findFirst()
				.orElse(null);
			if (description == null) {
				choices.add(new HandlerChoice(handler, false, "the " + handler.plugin()
						+ " plugin is not part of this build: add the plugin-" + handler.plugin() + " module"));
			}
			else if (!description.enabled()) {
				choices.add(new HandlerChoice(handler, false, "the " + handler.plugin()
						+ " plugin is not enabled: start with --spring.profiles.active=…," + description.profile()));
			}
			else {
				choices.add(new HandlerChoice(handler, true, null));
			}
		}
		return choices;
	}

	/**
	 * The select's value.
	 * @return the handler's key
	 */
	public String key() {
		return this.handler.key();
	}

	/**
	 * The option's text.
	 * @return the label, with "(not enabled)" for a plugin that does not run here
	 */
	public String label() {
		return this.enabled ? this.handler.label() : this.handler.label() + " (not enabled here)";
	}

}
