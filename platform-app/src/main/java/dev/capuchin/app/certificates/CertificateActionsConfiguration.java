package dev.capuchin.app.certificates;

import java.time.Clock;

import dev.capuchin.app.audit.AuditLog;
import dev.capuchin.app.identity.IdentityProperties;
import dev.capuchin.app.identity.MasterKey;
import dev.capuchin.app.shared.config.ConfigService;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The console's and the API's certificate actions, on nodes with the console and the API
 * (not edge nodes), when {@code capuchin.acme.directory} names a CA.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("capuchin.acme.directory")
class CertificateActionsConfiguration {

	@Bean
	CertificateActions certificateActions(AcmeProperties properties, CertificateStore store, JdbcTemplate jdbc,
			AcmeCertificates certificates, AuditLog audit, ConfigService config, IdentityProperties identity,
			@Value("${" + MasterKey.ENVIRONMENT_VARIABLE + ":}") String masterKey) {
		return new CertificateActions(properties, store, new CertificateEdits(jdbc), certificates,
				MasterKey.load(masterKey, identity.masterKeyFile()), audit, config, Clock.systemUTC());
	}

}
