package dev.capuchin.core.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Arrays;
import java.util.stream.Stream;

import dev.capuchin.core.internal.tls.TlsEngine;
import dev.capuchin.core.internal.transport.Transport;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ArgumentsProvider;
import org.junit.jupiter.params.provider.ArgumentsSource;
import org.junit.jupiter.params.support.ParameterDeclarations;

/**
 * Runs every test of the annotated class once per {@link TlsEngine} (OpenSSL, JDK) on
 * every {@link Transport}, as {@link EveryTransport} does for transports alone. The class
 * receives both in fields:
 *
 * <pre class="code">
 * &#64;EveryTlsEngine
 * class TlsSocketTests {
 *
 * 	&#64;Parameter(0)
 * 	Transport transport;
 *
 * 	&#64;Parameter(1)
 * 	TlsEngine engine;
 *
 * }
 * </pre>
 *
 * Hand them to {@link KernelFixture.Builder#transport(Transport)} and
 * {@link KernelFixture.Builder#tlsEngine(TlsEngine)}: a combination this machine cannot
 * run skips that run's tests, with the reason.
 */
@Documented
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedClass(name = "[{index}] {0} {1}")
@ArgumentsSource(EveryTlsEngine.Combinations.class)
public @interface EveryTlsEngine {

	/** Every transport with every engine. */
	class Combinations implements ArgumentsProvider {

		@Override
		public Stream<? extends Arguments> provideArguments(ParameterDeclarations parameters,
				ExtensionContext context) {
			return Arrays.stream(Transport.values())
				.flatMap((transport) -> Arrays.stream(TlsEngine.values())
					.map((engine) -> Arguments.of(transport, engine)));
		}

	}

}
