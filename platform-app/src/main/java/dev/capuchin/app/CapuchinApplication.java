package dev.capuchin.app;

import dev.capuchin.app.cli.CommandLine;
import dev.capuchin.core.spi.SiteTable;

import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.userdetails.UserDetailsService;

/**
 * Capuchin: the data plane (the kernel and its plugins) and the control plane (console,
 * identity, actuator) in one process. With a command as first argument it runs that
 * command against the store instead: {@code export FILE},
 * {@code import FILE [--dry-run]},
 * {@code import-monkey DIR [--dry-run] [--server-config FILE]},
 * {@code passwd FILE USER [--password-stdin]}.
 */
@SpringBootApplication(excludeName = {
		// Nothing runs on Spring's task executor or scheduler: no @Async, no @Scheduled,
		// no
		// asynchronous MVC handler; Capuchin's periodic work (the store poller, TLS and
		// ACME renewals, health checks) runs on threads of its own. Without them, their
		// metrics and observations have nothing to watch.
		"org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration",
		"org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.task.TaskExecutorMetricsAutoConfiguration",
		"org.springframework.boot.micrometer.observation.autoconfigure.ScheduledTasksObservationAutoConfiguration",
		// Flyway owns the schema: there is no schema.sql or data.sql to run
		"org.springframework.boot.jdbc.autoconfigure.DataSourceInitializationAutoConfiguration",
		// the stores use JdbcTemplate; none is a @Repository whose exceptions need
		// translating
		"org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration",
		"org.springframework.boot.persistence.autoconfigure.PersistenceExceptionTranslationAutoConfiguration",
		// Jackson 2 is on the class path for libraries only: the actuator endpoints write
		// with Jackson 3's isolated mapper
		"org.springframework.boot.actuate.autoconfigure.endpoint.jackson.Jackson2EndpointAutoConfiguration" })
public class CapuchinApplication {

	/**
	 * Run Capuchin, or one of its commands.
	 * @param args a command and its arguments, or {@code --key=value} properties
	 */
	public static void main(String[] args) {
		if (args.length > 0 && CommandLine.isCommand(args[0])) {
			System.exit(CommandLine.run(CapuchinApplication.class, args));
		}
		SpringApplication application = new SpringApplication(CapuchinApplication.class);
		StartupReport.install(application);
		application.run(args);
	}

	/**
	 * What {@code spring.main.lazy-initialization} leaves eager, because it must show at
	 * start: configuration properties (bound and validated, so that a wrong key stops the
	 * start instead of failing the first request that needs it), the site table (its
	 * creation imports the site files into an empty store and validates the stored
	 * configuration, also for the commands, which run without the data plane) and the
	 * console's accounts (a generated admin password is printed at start; a bad
	 * {@code CAPUCHIN_ADMIN_PASSWORD} stops the start).
	 * @return the filter that keeps them eager
	 */
	@Bean
	static LazyInitializationExcludeFilter eagerAtStart() {
		return (name, definition, type) -> type.isAnnotationPresent(ConfigurationProperties.class)
				|| SiteTable.class.isAssignableFrom(type) || UserDetailsService.class.isAssignableFrom(type);
	}

}
