package dev.capuchin.plugin.mandril;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The plugin's global settings: rules for every site, rules per listener, the per-client
 * limits and the proxies whose forwarding headers are believed.
 *
 * @param global rules for every connection and request (address rules are checked at
 * CONNECT; path rules and the rate at REQUEST)
 * @param listeners extra address rules per listener, checked at CONNECT
 * @param maxConnectionsPerIp open connections one client address may hold; 0 for no limit
 * @param trustedProxies the proxies whose {@code Forwarded} and {@code X-Forwarded-For}
 * headers name the real client
 * @param maxClients the most client addresses whose rate state is kept per limiter: it
 * bounds memory when many addresses send requests; past it an arbitrary entry is
 * forgotten
 */
public record MandrilSettings(MandrilRules global, List<ListenerRules> listeners, int maxConnectionsPerIp,
		List<Cidr> trustedProxies, int maxClients) {

	/** Client addresses whose rate state is kept per limiter, by default. */
	public static final int DEFAULT_MAX_CLIENTS = 100_000;

	public MandrilSettings {
		Objects.requireNonNull(global, "global");
		listeners = List.copyOf(listeners);
		if (maxConnectionsPerIp < 0) {
			throw new IllegalArgumentException(
					"max-connections-per-ip: " + maxConnectionsPerIp + " (expected: >= 0, 0 for no limit)");
		}
		trustedProxies = List.copyOf(trustedProxies);
		if (maxClients < 1) {
			throw new IllegalArgumentException("max-clients: " + maxClients + " (expected: > 0)");
		}
	}

	/**
	 * A builder, starting with no rules and no limits.
	 * @return the builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/** Builds {@link MandrilSettings}; every value is checked as it is added. */
	public static final class Builder {

		private MandrilRules global = MandrilRules.NONE;

		private final List<ListenerRules> listeners = new ArrayList<>();

		private int maxConnectionsPerIp;

		private final List<Cidr> trustedProxies = new ArrayList<>();

		private int maxClients = DEFAULT_MAX_CLIENTS;

		private Builder() {
		}

		/**
		 * Allow only addresses in these blocks (together with any allowed before).
		 * @param blocks addresses or CIDR blocks
		 * @return this builder
		 */
		public Builder allow(String... blocks) {
			return rules(new MandrilRules(IpRules.of(Arrays.asList(blocks), List.of()), List.of(), List.of(),
					RateLimit.OFF));
		}

		/**
		 * Deny addresses in these blocks.
		 * @param blocks addresses or CIDR blocks
		 * @return this builder
		 */
		public Builder deny(String... blocks) {
			return rules(new MandrilRules(IpRules.of(List.of(), Arrays.asList(blocks)), List.of(), List.of(),
					RateLimit.OFF));
		}

		/**
		 * Deny paths on every site.
		 * @param rules substrings or {@code regex:} expressions
		 * @return this builder
		 */
		public Builder uriDeny(String... rules) {
			return rules(new MandrilRules(IpRules.NONE, parse(rules), List.of(), RateLimit.OFF));
		}

		/**
		 * Deny paths to foreign referrers on every site.
		 * @param rules substrings or {@code regex:} expressions
		 * @return this builder
		 */
		public Builder hotlinkDeny(String... rules) {
			return rules(new MandrilRules(IpRules.NONE, List.of(), parse(rules), RateLimit.OFF));
		}

		/**
		 * Add a block of global rules (for example from Monkey's {@code mandril.conf}).
		 * @param rules the rules
		 * @return this builder
		 */
		public Builder rules(MandrilRules rules) {
			this.global = this.global.and(rules);
			return this;
		}

		/**
		 * Add address rules for one listener.
		 * @param address the listener's address
		 * @param ip the rules
		 * @return this builder
		 */
		public Builder listener(InetSocketAddress address, IpRules ip) {
			this.listeners.add(new ListenerRules(address, ip));
			return this;
		}

		/**
		 * Limit open connections per client address.
		 * @param max the limit; 0 for none
		 * @return this builder
		 */
		public Builder maxConnectionsPerIp(int max) {
			this.maxConnectionsPerIp = max;
			return this;
		}

		/**
		 * Limit the request rate per client address on every site.
		 * @param requestsPerSecond the sustained rate; 0 for none
		 * @param burst the bucket size; 0 for the rate rounded up
		 * @return this builder
		 */
		public Builder rate(double requestsPerSecond, int burst) {
			MandrilRules current = this.global;
			this.global = new MandrilRules(current.ip(), current.uriDeny(), current.hotlinkDeny(),
					new RateLimit(requestsPerSecond, burst));
			return this;
		}

		/**
		 * Believe forwarding headers from these proxies.
		 * @param blocks addresses or CIDR blocks
		 * @return this builder
		 */
		public Builder trustedProxies(String... blocks) {
			for (String block : blocks) {
				this.trustedProxies.add(Cidr.parse(block));
			}
			return this;
		}

		/**
		 * Bound the per-client rate state.
		 * @param max the most client addresses kept per limiter
		 * @return this builder
		 */
		public Builder maxClients(int max) {
			this.maxClients = max;
			return this;
		}

		/**
		 * The settings.
		 * @return the settings
		 */
		public MandrilSettings build() {
			return new MandrilSettings(this.global, this.listeners, this.maxConnectionsPerIp, this.trustedProxies,
					this.maxClients);
		}

		private static List<PathRule> parse(String[] rules) {
			List<PathRule> parsed = new ArrayList<>(rules.length);
			for (String rule : rules) {
				parsed.add(PathRule.parse(rule));
			}
			return parsed;
		}

	}

}
