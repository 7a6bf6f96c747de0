package dev.capuchin.app.certificates;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code /actuator/health}'s {@code certificates} component: each ACME site's certificate
 * with its end of validity, failures and last error, and a warning for one that expires
 * within {@link #WARN_BEFORE} or has no certificate yet. DOWN only when a site's
 * certificate has expired: a failed renewal with a valid certificate in place is a
 * warning, not a reason for a load balancer to drop the node.
 */
class CertificateHealth implements HealthIndicator {

	/** How long before expiry a certificate is warned of. */
	static final Duration WARN_BEFORE = Duration.ofDays(14);

	private final CertificateStore store;

	private final AcmeCertificates certificates;

	private final Clock clock;

	CertificateHealth(CertificateStore store, AcmeCertificates certificates, Clock clock) {
		this.store = store;
		this.certificates = certificates;
		this.clock = clock;
	}

	@Override
	public Health health() {
		Instant now = this.clock.instant();
		Map<String, List<String>> wanted = this.certificates.wanted();
		boolean expired = false;
		Health.Builder builder = Health.up();
		for (StoredCertificate row : this.store.all()) {
			if (!wanted.containsKey(row.name())) {
				continue;
			}
			Map<String, Object> detail = new LinkedHashMap<>();
			detail.put("names", row.names());
			detail.put("not-after", (row.notAfter() != null) ? row.notAfter().toString() : null);
			detail.put("next-renewal", row.nextAttempt().toString());
			detail.put("failures", row.failures());
			detail.put("last-error", row.lastError());
			if (row.notAfter() == null) {
				detail.put("warning", "no certificate issued yet");
			}
			else if (!row.notAfter().isAfter(now)) {
				detail.put("warning", "expired");
				expired = true;
			}
			else if (row.notAfter().isBefore(now.plus(WARN_BEFORE))) {
				detail.put("warning", "expires within " + WARN_BEFORE.toDays() + " days");
			}
			builder.withDetail(row.name(), detail);
		}
		return expired ? builder.down().build() : builder.build();
	}

}
