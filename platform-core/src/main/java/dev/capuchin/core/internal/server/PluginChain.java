package dev.capuchin.core.internal.server;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.capuchin.core.spi.Site;
import dev.capuchin.core.spi.SiteTable;
import dev.capuchin.core.spi.ClientConnection;
import dev.capuchin.core.spi.Exchange;
import dev.capuchin.core.spi.Plugin;
import dev.capuchin.core.spi.Result;
import dev.capuchin.core.spi.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The plugins of each stage, in order, and the rules for running them: the first plugin
 * that does not continue decides; an exception is logged with the plugin's name and costs
 * only the request (or, at CONNECT, the connection).
 */
public final class PluginChain {

	private static final Logger logger = LoggerFactory.getLogger(PluginChain.class);

	private final List<Plugin> plugins;

	private final Map<Stage, Plugin[]> byStage = new EnumMap<>(Stage.class);

	/**
	 * Order the plugins and index them by stage.
	 * @param plugins the plugins, in any order
	 */
	public PluginChain(List<Plugin> plugins) {
		List<Plugin> sorted = new ArrayList<>(Objects.requireNonNull(plugins, "plugins"));
		sorted.sort(Comparator.comparingInt(Plugin::order));
		this.plugins = List.copyOf(sorted);
		for (Stage stage : Stage.values()) {
			this.byStage.put(stage,
					sorted.stream().filter((plugin) -> plugin.stages().contains(stage)).toArray(Plugin[]::new));
		}
	}

	/**
	 * Every plugin, in order.
	 * @return the plugins
	 */
	public List<Plugin> plugins() {
		return this.plugins;
	}

	boolean has(Stage stage) {
		return this.byStage.get(stage).length > 0;
	}

	/**
	 * Whether the kernel may answer plain file requests on its direct path: no plugin
	 * runs at REQUEST or HANDLE, and no LOG plugin needs an exchange for every request.
	 */
	boolean allowsDirectAnswers() {
		return !has(Stage.REQUEST) && !has(Stage.HANDLE)
				&& Arrays.stream(this.byStage.get(Stage.LOG)).noneMatch(Plugin::needsEveryExchange);
	}

	/**
	 * Run the CONNECT plugins.
	 * @return {@code false} when a plugin closed the connection (or failed)
	 */
	boolean connect(ClientConnection connection) {
		for (Plugin plugin : this.byStage.get(Stage.CONNECT)) {
			try {
				if (plugin.onConnect(connection) == Result.CLOSE) {
					return false;
				}
			}
			catch (RuntimeException ex) {
				logger.error("plugin {} failed at CONNECT on connection {}; closing it", plugin.name(), connection.id(),
						ex);
				return false;
			}
		}
		return true;
	}

	/**
	 * Run the REQUEST plugins until one does not continue.
	 */
	Mono<Result> request(Exchange exchange) {
		return run(this.byStage.get(Stage.REQUEST), 0, exchange, Stage.REQUEST);
	}

	/**
	 * Offer the request to the HANDLE plugins until one does not decline.
	 */
	Mono<Result> handle(Exchange exchange) {
		return run(this.byStage.get(Stage.HANDLE), 0, exchange, Stage.HANDLE);
	}

	private Mono<Result> run(Plugin[] stagePlugins, int index, Exchange exchange, Stage stage) {
		Result pass = (stage == Stage.HANDLE) ? Result.DECLINE : Result.CONTINUE;
		if (index >= stagePlugins.length) {
			return Mono.just(pass);
		}
		Plugin plugin = stagePlugins[index];
		Mono<Result> step;
		try {
			step = (stage == Stage.HANDLE) ? plugin.handle(exchange) : plugin.onRequest(exchange);
		}
		catch (RuntimeException ex) {
			step = Mono.error(ex);
		}
		return Objects.requireNonNullElse(step, Mono.<Result>empty())
			.defaultIfEmpty(pass)
			.onErrorMap((ex) -> !(ex instanceof PluginFailure), (ex) -> new PluginFailure(plugin.name(), stage, ex))
			.flatMap((result) -> {
				if (result == pass) {
					return run(stagePlugins, index + 1, exchange, stage);
				}
				if (result == Result.DONE && exchange instanceof DefaultExchange owned) {
					owned.handledBy(plugin.name());
				}
				return Mono.just(result);
			});
	}

	/**
	 * Run the LOG plugins; failures are logged and do not stop the others.
	 */
	void log(Exchange exchange, int status, long durationNanos) {
		for (Plugin plugin : this.byStage.get(Stage.LOG)) {
			try {
				plugin.onLog(exchange, status, durationNanos);
			}
			catch (RuntimeException ex) {
				logger.error("plugin {} failed at LOG", plugin.name(), ex);
			}
		}
	}

	/**
	 * Tell the LOG plugins of a direct answer; failures are logged and do not stop the
	 * others.
	 */
	void logDirect(Site site, int status, long bytes) {
		for (Plugin plugin : this.byStage.get(Stage.LOG)) {
			try {
				plugin.onDirectAnswer(site, status, bytes);
			}
			catch (RuntimeException ex) {
				logger.error("plugin {} failed at LOG", plugin.name(), ex);
			}
		}
	}

	/**
	 * Run the CLOSE plugins; failures are logged and do not stop the others.
	 */
	void close(ClientConnection connection) {
		for (Plugin plugin : this.byStage.get(Stage.CLOSE)) {
			try {
				plugin.onClose(connection);
			}
			catch (RuntimeException ex) {
				logger.error("plugin {} failed at CLOSE on connection {}", plugin.name(), connection.id(), ex);
			}
		}
	}

	/**
	 * Let every plugin check and compile its settings in a table.
	 * @return the table carrying the plugins' states
	 * @throws IllegalArgumentException naming the plugin and the setting at fault
	 */
	public SiteTable prepare(SiteTable table) {
		Map<String, Object> states = new HashMap<>();
		for (Plugin plugin : this.plugins) {
			Object state;
			try {
				state = plugin.prepare(table);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("plugin " + plugin.name() + ": " + ex.getMessage(), ex);
			}
			if (state != null) {
				states.put(plugin.name(), state);
			}
		}
		return table.withPluginStates(states);
	}

	void start() {
		for (Plugin plugin : this.plugins) {
			plugin.start();
		}
	}

	void stop() {
		for (Plugin plugin : this.plugins) {
			try {
				plugin.stop();
			}
			catch (RuntimeException ex) {
				logger.error("plugin {} failed to stop", plugin.name(), ex);
			}
		}
	}

	/** A plugin's failure, carrying its name and stage to the log line. */
	static final class PluginFailure extends RuntimeException {

		private final String plugin;

		PluginFailure(String plugin, Stage stage, Throwable cause) {
			super("plugin " + plugin + " failed at " + stage + ": " + cause, cause);
			this.plugin = plugin;
		}

		String plugin() {
			return this.plugin;
		}

	}

}
