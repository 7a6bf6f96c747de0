package dev.capuchin.app.certificates;

import java.time.Clock;

import dev.capuchin.app.audit.AuditLog;
import dev.capuchin.app.identity.IdentityProperties;
import dev.capuchin.app.identity.MasterKey;
import dev.capuchin.app.node.EdgeNodePart;
import dev.capuchin.app.shared.config.SiteDefaults;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Certificates from an ACME CA, on every node that serves (edge nodes too: each one
 * answers challenges and serves the stored certificates), when
 * {@code capuchin.acme.directory} names a CA.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ AcmeProperties.class, IdentityProperties.class })
@ConditionalOnProperty("capuchin.acme.directory")
@EdgeNodePart
class CertificatesConfiguration {

	@Bean
	CertificateStore certificateStore(JdbcTemplate jdbc) {
		return new CertificateStore(jdbc);
	}

	@Bean
	AcmeCertificates acmeCertificates(AcmeProperties properties, CertificateStore store, AuditLog audit,
			IdentityProperties identity, @Value("${" + MasterKey.ENVIRONMENT_VARIABLE + ":}") String masterKey) {
		return new AcmeCertificates(properties, store, MasterKey.load(masterKey, identity.masterKeyFile()), audit,
				Clock.systemUTC());
	}

	@Bean
	@ConditionalOnBooleanProperty("capuchin.acme.every-site")
	SiteDefaults acmeEverySite(AcmeProperties properties) {
		return new AcmeEverySite(properties);
	}

	@Bean
	@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
	CertificateHealth certificatesHealthIndicator(CertificateStore store, AcmeCertificates certificates) {
		return new CertificateHealth(store, certificates, Clock.systemUTC());
	}

	@Bean
	@ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
	MeterBinder certificateExpiryMetrics(AcmeCertificates certificates) {
		return certificates::bindTo;
	}

}
