package dev.capuchin.app.openidlogins;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

import com.nimbusds.jose.jwk.JWKSet;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code /actuator/health}'s {@code openidLogins} component: one indicator per stored
 * login, UP when its discovery document is reachable, names its issuer and its keys were
 * fetched, DOWN otherwise with the reason. Checked when health is asked for, never at
 * start (a provider that is down does not keep Capuchin from starting), and remembered
 * for a short while so that frequent health probes do not hammer the providers.
 */
class OpenIdLoginHealth implements CompositeHealthContributor {

	private final Supplier<List<OpenIdLogin>> logins;

	private final OpenIdDiscovery discovery;

	private final Duration remember;

	private final Clock clock;

	private final Map<String, Checked> checked = new ConcurrentHashMap<>();

	OpenIdLoginHealth(Supplier<List<OpenIdLogin>> logins, OpenIdDiscovery discovery, Duration remember, Clock clock) {
		this.logins = logins;
		this.discovery = discovery;
		this.remember = remember;
		this.clock = clock;
	}

	@Override
	public HealthContributor getContributor(String name) {
		return this.logins.get()
			.stream()
			.filter((login) -> login.name().equals(name))
			.findFirst()
			.map(this::indicator)
			.orElse(null);
	}

	@Override
	public Stream<HealthContributors.Entry> stream() {
		return this.logins.get().stream().map((login) -> new HealthContributors.Entry(login.name(), indicator(login)));
	}

	private HealthIndicator indicator(OpenIdLogin login) {
		return () -> {
			Instant now = this.clock.instant();
			Checked last = this.checked.get(login.name());
			if (last != null && last.issuer().equals(login.issuer()) && last.at().plus(this.remember).isAfter(now)) {
				return last.health();
			}
			Health health = check(login);
			this.checked.put(login.name(), new Checked(login.issuer(), now, health));
			return health;
		};
	}

	private Health check(OpenIdLogin login) {
		OpenIdDiscovery.Metadata metadata;
		try {
			metadata = this.discovery.discover(login.issuer());
		}
		catch (IllegalArgumentException ex) {
			return Health.down().withDetail("issuer", login.issuer()).withDetail("discovery", ex.getMessage()).build();
		}
		try {
			JWKSet keys = this.discovery.keys(metadata);
			return Health.up()
				.withDetail("issuer", login.issuer())
				.withDetail("discovery", "reachable")
				.withDetail("keys", keys.getKeys().size())
				.build();
		}
		catch (IllegalArgumentException ex) {
			return Health.down()
				.withDetail("issuer", login.issuer())
				.withDetail("discovery", "reachable")
				.withDetail("keys", ex.getMessage())
				.build();
		}
	}

	private record Checked(String issuer, Instant at, Health health) {
	}

}
