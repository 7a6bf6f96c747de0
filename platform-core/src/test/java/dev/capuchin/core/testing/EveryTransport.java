package dev.capuchin.core.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import dev.capuchin.core.internal.transport.Transport;

/**
 * Runs every test of the annotated class once per {@link Transport} (epoll, io_uring,
 * NIO). The class receives the transport in a field:
 *
 * <pre class="code">
 * &#64;EveryTransport
 * class StaticFileSocketTests {
 *
 * 	&#64;Parameter
 * 	Transport transport;
 *
 * }
 * </pre>
 *
 * Hand the transport to {@link KernelFixture.Builder#transport(Transport)}: a transport
 * this machine cannot run (io_uring on an old kernel, epoll off Linux) skips that run's
 * tests there, with the reason.
 */
@Documented
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedClass(name = "[{index}] {0}")
@EnumSource(Transport.class)
public @interface EveryTransport {

}
