package dev.capuchin.app.certificates;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code capuchin.acme.challenge: tls-alpn-01}, a node proves its names on its TLS
 * listener: Pebble's TLS-ALPN-01 validations go to the node's ACME TLS listener, while
 * its HTTP-01 port has nothing listening, so only TLS-ALPN-01 can succeed.
 */
@EnabledIf("dev.capuchin.app.certificates.AcmeIssuanceTests#pebbleInstalled")
class AcmeTlsAlpnIssuanceTests {

	@RegisterExtension
	static final AcmeTestSupport acme = AcmeTestSupport.pebbleAndANode().provedByTlsAlpn01();

	@Test
	void aCertificateProvedByTlsAlpn01IsServedOverHttps() {
		acme.awaitServed();
	}

	@Test
	void theChallengeCertificateIsWithdrawnFromTheStoreOnceValidated() {
		acme.awaitIssued();
		assertThat(acme.store().queryForObject("select count(*) from acme_tls_alpn_challenge", Integer.class)).isZero();
		assertThat(acme.store().queryForObject("select count(*) from acme_challenge", Integer.class)).isZero();
	}

}
