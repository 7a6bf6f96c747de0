package dev.capuchin.app.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import dev.capuchin.app.transfer.ConfigDocument;
import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.app.shared.config.InvalidConfigurationException;
import dev.capuchin.app.monkey.MonkeyImporter;
import dev.capuchin.core.spi.Plugin;
import dev.capuchin.plugin.auth.PasswdCommand;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The commands of {@code java -jar capuchin.jar}: {@code export FILE} writes the whole
 * configuration as YAML ({@code -} for standard output); {@code import FILE [--dry-run]}
 * shows the difference and applies it in one transaction;
 * {@code import-monkey DIR [--dry-run] [--server-config FILE]} imports Monkey's own
 * configuration directory the same way, prints a report of every key, and writes the
 * server properties that bind at start to {@code FILE} (or prints them). They run against
 * the store with neither listener started. {@code passwd FILE USER [--password-stdin]}
 * creates or updates a user of a users file ({@link PasswdCommand}); it needs no
 * application context and runs before Spring starts.
 */
public final class CommandLine {

	private static final Set<String> COMMANDS = Set.of("export", "import", "import-monkey", "passwd");

	private static final String USAGE = "usage: java -jar capuchin.jar export FILE | import FILE [--dry-run]"
			+ " | import-monkey DIR [--dry-run] [--server-config FILE] | passwd FILE USER [--password-stdin]";

	private CommandLine() {
	}

	/**
	 * Whether an argument names a command.
	 * @param argument the first argument
	 * @return {@code true} for a command
	 */
	public static boolean isCommand(String argument) {
		return COMMANDS.contains(argument);
	}

	/**
	 * Run a command.
	 * @param application the application class
	 * @param args the command and its arguments; {@code --key=value} properties pass
	 * through
	 * @return the exit status: 0 done, 1 refused, 2 usage error
	 */
	public static int run(Class<?> application, String[] args) {
		if (args.length > 0 && args[0].equals("passwd")) {
			return new PasswdCommand().run(Arrays.copyOfRange(args, 1, args.length), System.in, System.out, System.err,
					System.console());
		}
		List<String> positional = new ArrayList<>();
		List<String> properties = new ArrayList<>();
		boolean dryRun = false;
		String serverConfig = null;
		for (int i = 0; i < args.length; i++) {
			String arg = args[i];
			if (arg.equals("--dry-run")) {
				dryRun = true;
			}
			else if (arg.equals("--server-config") && i + 1 < args.length) {
				serverConfig = args[++i];
			}
			else if (arg.startsWith("--server-config=")) {
				serverConfig = arg.substring("--server-config=".length());
			}
			else if (arg.startsWith("--")) {
				properties.add(arg);
			}
			else {
				positional.add(arg);
			}
		}
		PrintStream out = System.out;
		PrintStream err = System.err;
		if (positional.size() != 2 || (serverConfig != null && !positional.get(0).equals("import-monkey"))) {
			err.println(USAGE);
			return 2;
		}
		properties.add("--capuchin.server.enabled=false");
		properties.add("--capuchin.store.poll-interval=0s");
		properties.add("--spring.main.banner-mode=off");
		properties.add("--logging.level.root=WARN");
		SpringApplication spring = new SpringApplication(application);
		spring.setWebApplicationType(WebApplicationType.NONE);
		try (ConfigurableApplicationContext context = spring.run(properties.toArray(String[]::new))) {
			ConfigService config = context.getBean(ConfigService.class);
			String file = positional.get(1);
			if (positional.get(0).equals("export")) {
				ConfigService.Snapshot snapshot = config.exported();
				String document = ConfigDocument.write(snapshot);
				if (file.equals("-")) {
					out.print(document);
				}
				else {
					Files.writeString(Path.of(file), document, StandardCharsets.UTF_8);
					out.println("Exported version " + snapshot.version() + " (" + snapshot.entries().size() + " sites, "
							+ snapshot.realms().size() + " realms, " + snapshot.upstreams().size() + " upstreams) to "
							+ file);
				}
				return 0;
			}
			if (positional.get(0).equals("import-monkey")) {
				Set<String> plugins = context.getBeanProvider(Plugin.class)
					.stream()
					.map(Plugin::name)
					.collect(Collectors.toSet());
				MonkeyImporter.Result result = new MonkeyImporter(config, plugins).run(Path.of(file), "command-line",
						dryRun);
				printMonkeyImport(result, serverConfig, out);
				return 0;
			}
			String text = file.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
					: Files.readString(Path.of(file), StandardCharsets.UTF_8);
			ConfigService.Outcome outcome = config.apply(ConfigDocument.readDocument(text, config.base()),
					"command-line", dryRun);
			out.print(outcome.diff().toYaml(outcome.version(), outcome.applied()));
			return 0;
		}
		catch (InvalidConfigurationException ex) {
			err.println("refused: " + ex.getMessage());
			return 1;
		}
		catch (IOException ex) {
			err.println("error: " + ex.getMessage());
			return 1;
		}
	}

	private static void printMonkeyImport(MonkeyImporter.Result result, String serverConfig, PrintStream out)
			throws IOException {
		out.println("# Monkey configuration " + result.imported().directory() + ": " + result.imported().sites().size()
				+ " site(s); stored sites of the same name are replaced," + " the others kept");
		out.println("# report:");
		result.reportLines().forEach((line) -> out.println("#   " + line));
		String server = result.serverYaml();
		if (server.isEmpty()) {
			out.println("# server settings: none to import");
		}
		else if (serverConfig != null) {
			Files.writeString(Path.of(serverConfig), server, StandardCharsets.UTF_8);
			out.println("# server settings (not live: listeners bind at start) written to " + serverConfig);
		}
		else {
			out.println("# server settings (not live: listeners bind at start; --server-config FILE writes them):");
			server.lines().forEach((line) -> out.println("#   " + line));
		}
		ConfigService.Outcome outcome = result.outcome();
		out.print(outcome.diff().toYaml(outcome.version(), outcome.applied()));
	}

}
