package dev.capuchin.core.internal.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;

import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.CertException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.jspecify.annotations.Nullable;

/**
 * What an OCSP answer must be before it is stapled to one certificate's handshakes (RFC
 * 6960 §3.2): a successful basic response, signed by the certificate's issuer or by a
 * responder the issuer delegated ({@code id-kp-OCSPSigning}, valid now), about this
 * certificate's issuer and serial number, issued no later than now (with
 * {@link #CLOCK_SKEW}) and not past its {@code nextUpdate}. Also builds the request.
 */
final class OcspVerifier {

	/** How far a responder's clock may be ahead of ours. */
	static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

	/**
	 * How long an answer without {@code nextUpdate} is used after its {@code thisUpdate}:
	 * such an answer says newer information is always available, so it is kept briefly.
	 */
	static final Duration VALIDITY_WITHOUT_NEXT_UPDATE = Duration.ofHours(1);

	private static final DigestCalculatorProvider DIGESTS = digests();

	private final X509CertificateHolder issuer;

	private final BigInteger serial;

	private final CertificateID id;

	private final String url;

	private OcspVerifier(X509CertificateHolder issuer, BigInteger serial, CertificateID id, String url) {
		this.issuer = issuer;
		this.serial = serial;
		this.id = id;
		this.url = url;
	}

	/**
	 * The verifier for a certificate chain.
	 * @param chain the chain read from the certificate file, leaf first
	 * @return the verifier, or {@code null} when the certificate names no responder
	 * @throws OcspException when its issuer is not in the chain
	 */
	static @Nullable OcspVerifier of(List<X509Certificate> chain) throws OcspException {
		if (chain.isEmpty()) {
			throw new OcspException("the certificate file holds no certificate");
		}
		try {
			X509CertificateHolder leaf = new X509CertificateHolder(chain.get(0).getEncoded());
			String url = responder(leaf);
			if (url == null) {
				return null;
			}
			if (chain.size() < 2) {
				throw new OcspException("the certificate file holds no issuer after the certificate");
			}
			X509CertificateHolder issuer = new X509CertificateHolder(chain.get(1).getEncoded());
			if (!leaf.getIssuer().equals(issuer.getSubject()) || !leaf.isSignatureValid(verifier(issuer))) {
				throw new OcspException("the second certificate in the file did not issue the first");
			}
			CertificateID id = new CertificateID(DIGESTS.get(CertificateID.HASH_SHA1), issuer, leaf.getSerialNumber());
			return new OcspVerifier(issuer, leaf.getSerialNumber(), id, url);
		}
		catch (CertificateEncodingException | IOException | OCSPException | OperatorCreationException
				| CertException ex) {
			throw new OcspException(ex.toString());
		}
	}

	/**
	 * The responder's URL, from the certificate's Authority Information Access.
	 * @return the URL
	 */
	String url() {
		return this.url;
	}

	/**
	 * The certificate's serial number.
	 * @return the serial
	 */
	BigInteger serial() {
		return this.serial;
	}

	/**
	 * The DER request for this certificate's status (no nonce: answers are shared by
	 * every client, as responders pre-sign them).
	 * @return the request
	 */
	byte[] request() {
		try {
			return new OCSPReqBuilder().addRequest(this.id).build().getEncoded();
		}
		catch (OCSPException | IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Check an answer for stapling.
	 * @param der the answer as received
	 * @param clock what says now
	 * @return the verified answer with its expiry
	 * @throws OcspException naming what is wrong with it
	 */
	Verified verify(byte[] der, Clock clock) throws OcspException {
		try {
			OCSPResp response = new OCSPResp(der);
			if (response.getStatus() != OCSPResp.SUCCESSFUL) {
				throw new OcspException("responder status " + response.getStatus() + " (expected: 0, successful)");
			}
			if (!(response.getResponseObject() instanceof BasicOCSPResp basic)) {
				throw new OcspException("not a basic OCSP response");
			}
			Instant now = clock.instant();
			if (!signedByIssuerOrDelegate(basic, now)) {
				throw new OcspException("not signed by the issuer or a responder it delegated");
			}
			SingleResp single = null;
			for (SingleResp candidate : basic.getResponses()) {
				CertificateID candidateId = candidate.getCertID();
				if (candidateId.getSerialNumber().equals(this.serial)
						&& candidateId.matchesIssuer(this.issuer, DIGESTS)) {
					single = candidate;
				}
			}
			if (single == null) {
				throw new OcspException("the answer is about another certificate");
			}
			Instant thisUpdate = single.getThisUpdate().toInstant();
			if (thisUpdate.isAfter(now.plus(CLOCK_SKEW))) {
				throw new OcspException("thisUpdate " + thisUpdate + " is in the future");
			}
			Date next = single.getNextUpdate();
			Instant expires = (next != null) ? next.toInstant() : thisUpdate.plus(VALIDITY_WITHOUT_NEXT_UPDATE);
			if (!now.isBefore(expires)) {
				throw new OcspException("stale: valid until " + expires);
			}
			CertificateStatus certStatus = single.getCertStatus();
			String status = (certStatus == CertificateStatus.GOOD) ? "good"
					: (certStatus instanceof RevokedStatus) ? "revoked" : "unknown";
			return new Verified(der, status, expires);
		}
		catch (IOException | OCSPException | OperatorCreationException | CertException ex) {
			throw new OcspException(ex.toString());
		}
	}

	private boolean signedByIssuerOrDelegate(BasicOCSPResp basic, Instant now)
			throws OCSPException, OperatorCreationException, CertException {
		if (basic.isSignatureValid(verifier(this.issuer))) {
			return true;
		}
		for (X509CertificateHolder delegate : basic.getCerts()) {
			ExtendedKeyUsage usage = ExtendedKeyUsage.fromExtensions(delegate.getExtensions());
			if (usage != null && usage.hasKeyPurposeId(KeyPurposeId.id_kp_OCSPSigning)
					&& delegate.getIssuer().equals(this.issuer.getSubject()) && delegate.isValidOn(Date.from(now))
					&& delegate.isSignatureValid(verifier(this.issuer)) && basic.isSignatureValid(verifier(delegate))) {
				return true;
			}
		}
		return false;
	}

	private static ContentVerifierProvider verifier(X509CertificateHolder signer) throws OperatorCreationException {
		try {
			return new JcaContentVerifierProviderBuilder().build(signer);
		}
		catch (java.security.cert.CertificateException ex) {
			throw new OperatorCreationException(ex.getMessage(), ex);
		}
	}

	private static @Nullable String responder(X509CertificateHolder certificate) {
		Extension extension = certificate.getExtension(Extension.authorityInfoAccess);
		if (extension == null) {
			return null;
		}
		for (AccessDescription description : AuthorityInformationAccess.getInstance(extension.getParsedValue())
			.getAccessDescriptions()) {
			GeneralName location = description.getAccessLocation();
			if (AccessDescription.id_ad_ocsp.equals(description.getAccessMethod())
					&& location.getTagNo() == GeneralName.uniformResourceIdentifier) {
				String url = ASN1IA5String.getInstance(location.getName()).getString();
				// responders speak plain HTTP (RFC 6960 appendix A): the answer is signed
				if (url.startsWith("http://")) {
					return url;
				}
			}
		}
		return null;
	}

	private static DigestCalculatorProvider digests() {
		try {
			return new JcaDigestCalculatorProviderBuilder().build();
		}
		catch (OperatorCreationException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * An answer fit to staple.
	 *
	 * @param der the DER answer
	 * @param status {@code good}, {@code revoked} or {@code unknown}
	 * @param expires when it stops being stapled
	 */
	record Verified(byte[] der, String status, Instant expires) {

		Verified {
			Objects.requireNonNull(der, "der");
			Objects.requireNonNull(status, "status");
			Objects.requireNonNull(expires, "expires");
		}

	}

	/** Why a certificate cannot be stapled, or an answer was refused. */
	static final class OcspException extends Exception {

		OcspException(String message) {
			super(message);
		}

	}

}
