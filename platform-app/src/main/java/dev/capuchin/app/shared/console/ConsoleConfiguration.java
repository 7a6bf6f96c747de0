package dev.capuchin.app.shared.console;

import java.time.Clock;

import dev.capuchin.app.status.RequestCounter;
import dev.capuchin.app.status.RequestRates;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The console's beans besides its controllers: the request counter that the data plane
 * runs at its LOG stage, the sampler that turns counts into rates, and the formatting the
 * templates use.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleConfiguration {

	@Bean
	RequestCounter consoleRequestCounter() {
		return new RequestCounter(Clock.systemUTC());
	}

	@Bean
	RequestRates consoleRequestRates(RequestCounter counter) {
		return new RequestRates(counter, Clock.systemUTC());
	}

	@Bean
	ConsoleFormat consoleFormat() {
		return new ConsoleFormat(Clock.systemDefaultZone());
	}

}
