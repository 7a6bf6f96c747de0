package dev.capuchin.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Capuchin: the data plane (the kernel and its plugins) and the control plane (console,
 * identity, actuator) in one process.
 */
@SpringBootApplication
public class CapuchinApplication {

	/**
	 * Run Capuchin.
	 * @param args command-line arguments and {@code --key=value} properties
	 */
	public static void main(String[] args) {
		SpringApplication.run(CapuchinApplication.class, args);
	}

}
