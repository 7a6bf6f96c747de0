package dev.capuchin.plugin.mandril.autoconfigure;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

import dev.capuchin.core.spi.Addresses;
import dev.capuchin.plugin.mandril.Cidr;
import dev.capuchin.plugin.mandril.IpRules;
import dev.capuchin.plugin.mandril.MandrilRules;
import dev.capuchin.plugin.mandril.MandrilSettings;
import dev.capuchin.plugin.mandril.MonkeyMandrilConfig;
import dev.capuchin.plugin.mandril.RateLimit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code capuchin.plugins.mandril.*} configuration: global rules and limits. Site
 * files add rules per site and location in their {@code mandril:} blocks.
 *
 * @param enabled whether the plugin runs
 * @param ip address rules for every connection, checked at CONNECT on the socket peer
 * (and at REQUEST on a client forwarded by a trusted proxy)
 * @param listeners extra address rules per listener, checked at CONNECT
 * @param maxConnectionsPerIp open connections one client address may hold; 0 for no limit
 * @param rate the request-rate limit per client address on every site
 * @param trustedProxies addresses or CIDR blocks of proxies whose {@code Forwarded} and
 * {@code X-Forwarded-For} headers name the real client
 * @param monkeyConfig a Monkey {@code mandril.conf} whose {@code [RULES]} are added to
 * the global rules at start
 */
@ConfigurationProperties("capuchin.plugins.mandril")
public record MandrilProperties(@DefaultValue("false") boolean enabled, @DefaultValue Ip ip, List<Listener> listeners,
		@DefaultValue("0") int maxConnectionsPerIp, @DefaultValue Rate rate, List<String> trustedProxies,
		Path monkeyConfig) {

	private static final String PREFIX = "capuchin.plugins.mandril.";

	public MandrilProperties {
		listeners = (listeners != null) ? List.copyOf(listeners) : List.of();
		trustedProxies = (trustedProxies != null) ? List.copyOf(trustedProxies) : List.of();
	}

	/**
	 * The plugin's settings, with the Monkey configuration read when one is named.
	 * @return the settings
	 * @throws IllegalArgumentException naming the key of an invalid value
	 */
	public MandrilSettings toSettings() {
		MandrilSettings.Builder builder = MandrilSettings.builder();
		IpRules global = this.ip.toRules(PREFIX + "ip");
		builder.rules(new MandrilRules(global, List.of(), List.of(), RateLimit.OFF));
		for (int i = 0; i < this.listeners.size(); i++) {
			String key = PREFIX + "listeners[" + i + "]";
			Listener listener = this.listeners.get(i);
			if (listener.address() == null) {
				throw new IllegalArgumentException(key + ".address: missing (expected: host:port)");
			}
			builder.listener(Addresses.parse(listener.address(), key + ".address"), listener.ip().toRules(key + ".ip"));
		}
		builder.maxConnectionsPerIp(this.maxConnectionsPerIp);
		checkBelow(PREFIX + "rate", () -> builder.rate(this.rate.requestsPerSecond(), this.rate.burst()));
		if (this.rate.maxClients() < 1) {
			throw new IllegalArgumentException(
					PREFIX + "rate.max-clients: " + this.rate.maxClients() + " (expected: > 0)");
		}
		builder.maxClients(this.rate.maxClients());
		for (int i = 0; i < this.trustedProxies.size(); i++) {
			String proxy = this.trustedProxies.get(i);
			check(PREFIX + "trusted-proxies[" + i + "]", () -> builder.trustedProxies(proxy));
		}
		if (this.monkeyConfig != null) {
			check(PREFIX + "monkey-config", () -> builder.rules(MonkeyMandrilConfig.parse(this.monkeyConfig)));
		}
		return checkBelow(PREFIX.substring(0, PREFIX.length() - 1), builder::build);
	}

	private static <T> T check(String key, Supplier<T> step) {
		try {
			return step.get();
		}
		catch (IllegalArgumentException | UncheckedIOException ex) {
			throw new IllegalArgumentException(key + ": " + ex.getMessage(), ex);
		}
	}

	/** For steps whose messages start with the field name below the key. */
	private static <T> T checkBelow(String key, Supplier<T> step) {
		try {
			return step.get();
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(key + "." + ex.getMessage(), ex);
		}
	}

	/**
	 * Address rules.
	 *
	 * @param allow addresses or CIDR blocks that may connect; empty for every address
	 * @param deny addresses or CIDR blocks that may not (deny wins over allow)
	 */
	public record Ip(List<String> allow, List<String> deny) {

		public Ip {
			allow = (allow != null) ? List.copyOf(allow) : List.of();
			deny = (deny != null) ? List.copyOf(deny) : List.of();
		}

		IpRules toRules(String key) {
			return new IpRules(blocks(this.allow, key + ".allow"), blocks(this.deny, key + ".deny"));
		}

		private static List<Cidr> blocks(List<String> values, String key) {
			Cidr[] blocks = new Cidr[values.size()];
			for (int i = 0; i < blocks.length; i++) {
				String value = values.get(i);
				blocks[i] = check(key + "[" + i + "]", () -> Cidr.parse(value));
			}
			return List.of(blocks);
		}

	}

	/**
	 * Address rules for the connections of one listener.
	 *
	 * @param address the listener's {@code host:port}, as in
	 * {@code capuchin.server.listeners[N].address}
	 * @param ip the rules
	 */
	public record Listener(String address, @DefaultValue Ip ip) {

	}

	/**
	 * The request-rate limit per client address.
	 *
	 * @param requestsPerSecond the sustained rate; 0 for no limit
	 * @param burst requests a client may send at once; 0 for the rate rounded up
	 * @param maxClients client addresses whose rate state is kept per limiter (bounds
	 * memory under a flood of addresses)
	 */
	public record Rate(@DefaultValue("0") double requestsPerSecond, @DefaultValue("0") int burst,
			@DefaultValue("100000") int maxClients) {

	}

}
