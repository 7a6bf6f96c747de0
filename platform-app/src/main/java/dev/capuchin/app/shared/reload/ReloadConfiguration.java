package dev.capuchin.app.shared.reload;

import dev.capuchin.app.node.EdgeNodePart;
import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.app.shared.config.InvalidConfigurationException;
import dev.capuchin.core.autoconfigure.CapuchinProperties;
import dev.capuchin.core.internal.server.CapuchinServer;
import dev.capuchin.plugin.logger.LoggerPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What {@code SIGHUP} reloads: the site files when the store is still theirs (otherwise
 * the store's newest configuration), the logger plugin's files when it is on, and the
 * data plane's TLS certificates. An edge node reloads its log files and certificates
 * only: it follows the store and never imports site files into it.
 */
@Configuration(proxyBeanMethods = false)
@EdgeNodePart
class ReloadConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(ReloadConfiguration.class);

	@Bean
	ReloadSignal reloadSignal(ObjectProvider<ReloadSignal.Action> actions) {
		return new ReloadSignal(() -> actions.orderedStream().toList());
	}

	@Bean
	@ConditionalOnExpression("'${capuchin.node.role:full}'.trim().toLowerCase() != 'edge'")
	ReloadSignal.Action siteFilesReload(ConfigService config, CapuchinProperties properties) {
		return action("site files", () -> {
			try {
				config.reloadSiteFiles(properties.sitesDir())
					.ifPresentOrElse((outcome) -> logger.info("Site files {} re-read: {} change(s), version {}",
							properties.sitesDir(), outcome.diff().changes().size(), outcome.version()), () -> {
								logger.info(
										"Site files {} not re-read: the store was changed since through the "
												+ "console, the API or an import; loading the store's configuration",
										properties.sitesDir());
								config.refresh();
							});
			}
			catch (InvalidConfigurationException ex) {
				throw new IllegalStateException("site files " + properties.sitesDir() + ": " + ex.getMessage(), ex);
			}
		});
	}

	@Bean
	ReloadSignal.Action logFilesReopen(ObjectProvider<LoggerPlugin> logger) {
		return action("log files", () -> logger.ifAvailable((plugin) -> {
			if (!plugin.reopen()) {
				throw new IllegalStateException("the log writer did not reopen its files in time");
			}
		}));
	}

	@Bean
	ReloadSignal.Action certificatesReload(ObjectProvider<CapuchinServer> server) {
		return action("TLS certificates", () -> server.ifAvailable((running) -> {
			int reloaded = running.reloadCertificates();
			logger.info("TLS certificates re-read: {} reloaded", reloaded);
		}));
	}

	private static ReloadSignal.Action action(String name, Runnable reload) {
		return new ReloadSignal.Action() {

			@Override
			public String name() {
				return name;
			}

			@Override
			public void reload() {
				reload.run();
			}

		};
	}

}
