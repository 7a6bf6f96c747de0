package dev.capuchin.app;

import dev.capuchin.app.cli.CommandLine;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Capuchin: the data plane (the kernel and its plugins) and the control plane (console,
 * identity, actuator) in one process. With a command as first argument it runs that
 * command against the store instead: {@code export FILE},
 * {@code import FILE [--dry-run]},
 * {@code import-monkey DIR [--dry-run] [--server-config FILE]},
 * {@code passwd FILE USER [--password-stdin]}.
 */
@SpringBootApplication
public class CapuchinApplication {

	/**
	 * Run Capuchin, or one of its commands.
	 * @param args a command and its arguments, or {@code --key=value} properties
	 */
	public static void main(String[] args) {
		if (args.length > 0 && CommandLine.isCommand(args[0])) {
			System.exit(CommandLine.run(CapuchinApplication.class, args));
		}
		SpringApplication.run(CapuchinApplication.class, args);
	}

}
