package dev.capuchin.core.internal.server;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;

import dev.capuchin.core.spi.ClientConnection;
import dev.capuchin.core.spi.ConnectResult;
import dev.capuchin.core.spi.Exchange;
import dev.capuchin.core.spi.HandleResult;
import dev.capuchin.core.spi.LogEvent;
import dev.capuchin.core.spi.NodeContext;
import dev.capuchin.core.spi.Plugin;
import dev.capuchin.core.spi.RequestResult;
import dev.capuchin.core.spi.SiteTable;
import dev.capuchin.core.spi.SiteErrorLog;
import dev.capuchin.core.spi.CertificateProvider;
import org.jspecify.annotations.Nullable;
import dev.capuchin.core.spi.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The plugins of each stage, in order, and the rules for running them: the first plugin
 * that does not continue decides; an exception, a missing result or one the stage does
 * not take is a {@link PluginFailure} naming the plugin, and costs only the request (or,
 * at CONNECT, the connection). The contract is the one {@link Plugin} documents.
 */
public final class PluginChain {

	private static final Logger logger = LoggerFactory.getLogger(PluginChain.class);

	private static final String CONNECT_RESULTS = "CONTINUE or CLOSE";

	private static final StageContract<RequestResult> REQUEST = new StageContract<>(Stage.REQUEST, RequestResult.class,
			new Pass<>(RequestResult.CONTINUE, RequestResult.CONTINUE.mono()), "a Mono of CONTINUE, DONE or CLOSE",
			Plugin::onRequest);

	private static final StageContract<HandleResult> HANDLE = new StageContract<>(Stage.HANDLE, HandleResult.class,
			new Pass<>(HandleResult.DECLINE, HandleResult.DECLINE.mono()), "a Mono of DONE or DECLINE", Plugin::handle);

	private final List<Plugin> plugins;

	/** The plugins whose start returned, to stop. */
	private final List<Plugin> started = new ArrayList<>();

	private final Map<Stage, Plugin[]> byStage = new EnumMap<>(Stage.class);

	private final ErrorLogRoute errorLog;

	private final @Nullable CertificateProvider certificates;

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
		this.errorLog = new ErrorLogRoute(sorted.stream()
			.filter(SiteErrorLog.class::isInstance)
			.map(SiteErrorLog.class::cast)
			.findFirst()
			.orElse(null));
		this.certificates = sorted.stream()
			.filter(CertificateProvider.class::isInstance)
			.map(CertificateProvider.class::cast)
			.findFirst()
			.orElse(null);
	}

	/**
	 * The plugin that provides ACME certificates and answers their challenges.
	 * @return the provider, or {@code null} when no plugin does
	 */
	@Nullable CertificateProvider certificates() {
		return this.certificates;
	}

	/**
	 * Where the exchanges' {@link dev.capuchin.core.spi.Exchange#logError(String)} lines
	 * go.
	 * @return the route
	 */
	ErrorLogRoute errorLog() {
		return this.errorLog;
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
	 * runs at REQUEST or HANDLE. LOG plugins receive direct answers as events too.
	 */
	boolean allowsDirectAnswers() {
		return !has(Stage.REQUEST) && !has(Stage.HANDLE);
	}

	/**
	 * Run the CONNECT plugins.
	 * @return {@code false} when a plugin closed the connection (or failed)
	 */
	boolean connect(ClientConnection connection) {
		for (Plugin plugin : this.byStage.get(Stage.CONNECT)) {
			ConnectResult result;
			try {
				result = plugin.onConnect(connection);
			}
			catch (RuntimeException ex) {
				logger.error("plugin {} failed at CONNECT on connection {}; closing it", plugin.name(), connection.id(),
						ex);
				return false;
			}
			if (result == null) {
				logger.error("plugin {} returned null at CONNECT on connection {} (expected: {}); closing it",
						plugin.name(), connection.id(), CONNECT_RESULTS);
				return false;
			}
			if (result == ConnectResult.CLOSE) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Run the REQUEST plugins until one does not continue.
	 */
	Mono<RequestResult> request(Exchange exchange) {
		return run(this.byStage.get(Stage.REQUEST), 0, exchange, REQUEST);
	}

	/**
	 * Offer the request to the HANDLE plugins until one does not decline.
	 */
	Mono<HandleResult> handle(Exchange exchange) {
		return run(this.byStage.get(Stage.HANDLE), 0, exchange, HANDLE);
	}

	private static <R extends Enum<R>> Mono<R> run(Plugin[] stagePlugins, int index, Exchange exchange,
			StageContract<R> contract) {
		DefaultExchange owned = (exchange instanceof DefaultExchange kernel) ? kernel : null;
		if (index >= stagePlugins.length) {
			if (owned != null) {
				owned.waitingFor(null, null);
			}
			return contract.pass().mono();
		}
		Plugin plugin = stagePlugins[index];
		if (owned != null) {
			owned.waitingFor(plugin.name(), contract.stage());
		}
		Mono<R> step;
		try {
			step = contract.call(plugin, exchange);
		}
		catch (RuntimeException ex) {
			step = Mono.error(new PluginFailure(plugin.name(), contract.stage(), ex));
		}
		if (step == null) {
			return Mono.error(PluginFailure.contract(plugin.name(), contract, "a null Mono"));
		}
		if (step == contract.pass().mono()) {
			// the shared CONTINUE or DECLINE, as most plugins return for most requests:
			// nothing to check or wrap, so no operators are assembled for it
			return run(stagePlugins, index + 1, exchange, contract);
		}
		return step.switchIfEmpty(Mono.error(() -> PluginFailure.contract(plugin.name(), contract, "an empty Mono")))
			.onErrorMap((ex) -> !(ex instanceof PluginFailure),
					(ex) -> new PluginFailure(plugin.name(), contract.stage(), ex))
			.flatMap((Object result) -> {
				// the types say which results a stage takes; a raw or unchecked cast can
				// still smuggle another stage's result in, which must not skip a plugin
				if (!contract.type().isInstance(result)) {
					return Mono.error(PluginFailure.contract(plugin.name(), contract, String.valueOf(result)));
				}
				R typed = contract.type().cast(result);
				if (typed == contract.pass().result()) {
					return run(stagePlugins, index + 1, exchange, contract);
				}
				if (owned != null) {
					owned.waitingFor(null, null);
					owned.handledBy(plugin.name());
				}
				return Mono.just(typed);
			});
	}

	/**
	 * Tell the LOG plugins of an answered request; failures are logged and do not stop
	 * the others.
	 */
	void log(LogEvent event) {
		for (Plugin plugin : this.byStage.get(Stage.LOG)) {
			try {
				plugin.onLog(event);
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
			catch (RuntimeException ex) {
				throw new IllegalArgumentException("plugin " + plugin.name() + " failed to prepare the sites: " + ex,
						ex);
			}
			if (state != null) {
				states.put(plugin.name(), state);
			}
		}
		return table.withPluginStates(states);
	}

	/**
	 * Start the plugins in order. When one fails, the ones started before it are stopped
	 * and the failure names it.
	 * @throws IllegalStateException naming the plugin that failed to start
	 */
	synchronized void start(NodeContext node) {
		for (Plugin plugin : this.plugins) {
			try {
				plugin.start(node);
			}
			catch (RuntimeException ex) {
				drain();
				stop();
				throw new IllegalStateException("plugin " + plugin.name() + " failed to start: " + ex.getMessage(), ex);
			}
			this.started.add(plugin);
		}
	}

	/**
	 * Let the started plugins release what lives on the worker loops, the last started
	 * first, while the loops still run; failures are logged and do not stop the others.
	 */
	synchronized void drain() {
		for (int i = this.started.size() - 1; i >= 0; i--) {
			Plugin plugin = this.started.get(i);
			try {
				plugin.drain();
			}
			catch (RuntimeException ex) {
				logger.error("plugin {} failed to drain", plugin.name(), ex);
			}
		}
	}

	/**
	 * Stop the started plugins, the last started first; failures are logged and do not
	 * stop the others.
	 */
	synchronized void stop() {
		for (int i = this.started.size() - 1; i >= 0; i--) {
			Plugin plugin = this.started.get(i);
			try {
				plugin.stop();
			}
			catch (RuntimeException ex) {
				logger.error("plugin {} failed to stop", plugin.name(), ex);
			}
		}
		this.started.clear();
	}

	/**
	 * How a stage with a result calls its plugins and which results it takes.
	 */
	private record StageContract<R extends Enum<R>>(Stage stage, Class<R> type, Pass<R> pass, String expected,
			BiFunction<Plugin, Exchange, Mono<R>> call) {

		Mono<R> call(Plugin plugin, Exchange exchange) {
			return this.call.apply(plugin, exchange);
		}

	}

	/** The result that passes a request on to the next plugin, completed once. */
	private record Pass<R>(R result, Mono<R> mono) {

	}

	/**
	 * A plugin's failure, carrying its name and stage to the log line: an exception, or a
	 * broken contract (no result, or one its stage does not take), which has no cause.
	 */
	static final class PluginFailure extends RuntimeException {

		private final String plugin;

		PluginFailure(String plugin, Stage stage, Throwable cause) {
			super("plugin " + plugin + " failed at " + stage + ": " + cause, cause);
			this.plugin = plugin;
		}

		private PluginFailure(String plugin, String message) {
			super(message, null, false, false);
			this.plugin = plugin;
		}

		static PluginFailure contract(String plugin, StageContract<?> contract, String returned) {
			return new PluginFailure(plugin, "plugin " + plugin + " returned " + returned + " at " + contract.stage()
					+ " (expected: " + contract.expected() + ")");
		}

		boolean isContractBreach() {
			return getCause() == null;
		}

		String plugin() {
			return this.plugin;
		}

	}

}
