package dev.capuchin.plugin.proxy;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A named group of servers and how requests are spread over them: a named upstream of the
 * configuration document ({@code upstreams:}), or the inline servers of a location (named
 * {@code <site> <location>}, such as {@code shop path /app/}).
 *
 * @param name the upstream's name
 * @param balancer how a server is chosen
 * @param servers the servers, at least one, each URL once
 * @param maxFails failures within {@code failTimeout} that put a server offline (0:
 * never)
 * @param failTimeout the window failures are counted in, and how long a server then stays
 * offline
 * @param health active health checks, or {@code null} for passive checks only
 * @param hash what {@link BalancerKind#CONSISTENT_HASH} hashes, or {@code null} for the
 * URI
 * @param retries how many more servers a request that is safe to repeat may try after a
 * timeout, a reset or a 502/503/504 (connect failures always try the next server)
 * @param retryTimeout the total time tries may take before the last failure is answered
 * @param timeouts the times one exchange may take
 * @param tls TLS to {@code https://} servers
 */
public record Upstream(String name, BalancerKind balancer, List<UpstreamServer> servers, int maxFails,
		Duration failTimeout, @Nullable HealthCheck health, @Nullable HashKey hash, int retries, Duration retryTimeout,
		Timeouts timeouts, UpstreamTls tls) {

	/** The balancer of an upstream that names none. */
	public static final BalancerKind DEFAULT_BALANCER = BalancerKind.ROUND_ROBIN;

	/** Default {@code max-fails} (nginx's). */
	public static final int DEFAULT_MAX_FAILS = 1;

	/** Default {@code fail-timeout} (nginx's). */
	public static final Duration DEFAULT_FAIL_TIMEOUT = Duration.ofSeconds(10);

	/** Default {@code retries}. */
	public static final int DEFAULT_RETRIES = 2;

	/** Default {@code retry-timeout}. */
	public static final Duration DEFAULT_RETRY_TIMEOUT = Duration.ofSeconds(15);

	/** The most servers an upstream may list. */
	public static final int MAX_SERVERS = 256;

	/** The longest name accepted. */
	public static final int MAX_NAME = 200;

	public Upstream {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(balancer, "balancer");
		Objects.requireNonNull(failTimeout, "failTimeout");
		Objects.requireNonNull(retryTimeout, "retryTimeout");
		Objects.requireNonNull(timeouts, "timeouts");
		Objects.requireNonNull(tls, "tls");
		if (name.isBlank() || name.length() > MAX_NAME || name.chars().anyMatch((c) -> c < 0x20 || c == 0x7f)) {
			throw new IllegalArgumentException(
					"name: '" + name + "' (expected: 1.." + MAX_NAME + " printable characters)");
		}
		servers = List.copyOf(servers);
		if (servers.isEmpty() || servers.size() > MAX_SERVERS) {
			throw new IllegalArgumentException(
					"servers: " + servers.size() + " servers (expected: 1.." + MAX_SERVERS + ")");
		}
		Set<String> urls = new HashSet<>();
		for (int i = 0; i < servers.size(); i++) {
			if (!urls.add(servers.get(i).url().toString())) {
				throw new IllegalArgumentException(
						"servers[" + i + "].url: '" + servers.get(i).url() + "' is listed twice");
			}
		}
		if (maxFails < 0 || maxFails > 1000) {
			throw new IllegalArgumentException("max-fails: " + maxFails + " (expected: 0..1000)");
		}
		if (failTimeout.isNegative() || failTimeout.isZero() || failTimeout.compareTo(Duration.ofDays(1)) > 0) {
			throw new IllegalArgumentException("fail-timeout: " + failTimeout + " (expected: > 0 and <= 1d)");
		}
		if (retries < 0 || retries > MAX_SERVERS) {
			throw new IllegalArgumentException("retries: " + retries + " (expected: 0.." + MAX_SERVERS + ")");
		}
		if (retryTimeout.isNegative() || retryTimeout.isZero() || retryTimeout.compareTo(Duration.ofDays(1)) > 0) {
			throw new IllegalArgumentException("retry-timeout: " + retryTimeout + " (expected: > 0 and <= 1d)");
		}
		if (hash != null && balancer != BalancerKind.CONSISTENT_HASH) {
			throw new IllegalArgumentException(
					"hash: set, but balancer is " + balancer + " (expected: consistent-hash)");
		}
	}

	/**
	 * An upstream of these servers with every other value at its default.
	 * @param name the name
	 * @param balancer the balancer
	 * @param servers the servers
	 * @return the upstream
	 */
	public static Upstream of(String name, BalancerKind balancer, List<UpstreamServer> servers) {
		return new Upstream(name, balancer, servers, DEFAULT_MAX_FAILS, DEFAULT_FAIL_TIMEOUT, null, null,
				DEFAULT_RETRIES, DEFAULT_RETRY_TIMEOUT, Timeouts.DEFAULTS, UpstreamTls.DEFAULTS);
	}

	/**
	 * The hash key in effect: {@link #hash()} or the URI.
	 * @return the key
	 */
	public HashKey hashKey() {
		return (this.hash != null) ? this.hash : HashKey.URI;
	}

	/**
	 * This upstream with one server drained or re-enabled.
	 * @param url the server's URL
	 * @param drained whether it is drained
	 * @return the changed upstream
	 * @throws IllegalArgumentException when no server has that URL
	 */
	public Upstream withDrain(String url, boolean drained) {
		boolean found = false;
		List<UpstreamServer> changed = new java.util.ArrayList<>(this.servers.size());
		for (UpstreamServer server : this.servers) {
			if (server.url().toString().equals(url)) {
				found = true;
				changed.add(server.withDrain(drained));
			}
			else {
				changed.add(server);
			}
		}
		if (!found) {
			throw new IllegalArgumentException("upstreams[" + this.name + "]: no server " + url);
		}
		return new Upstream(this.name, this.balancer, changed, this.maxFails, this.failTimeout, this.health, this.hash,
				this.retries, this.retryTimeout, this.timeouts, this.tls);
	}

}
