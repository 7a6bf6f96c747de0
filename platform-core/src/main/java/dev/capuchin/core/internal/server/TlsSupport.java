package dev.capuchin.core.internal.server;

import dev.capuchin.core.internal.tls.PendingAcmeCertificate;
import dev.capuchin.core.internal.tls.AcmeTlsAlpnHandler;
import dev.capuchin.core.internal.tls.TlsContexts;
import dev.capuchin.core.spi.CertificateProvider;
import dev.capuchin.core.spi.Site;
import dev.capuchin.core.spi.SiteTable;
import dev.capuchin.core.spi.TlsCertificate;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.util.AsyncMapping;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import reactor.netty.NettyPipeline;
import reactor.netty.tcp.SslProvider;

/**
 * TLS for one listener: SNI picks the certificate of the site a client names, looked up
 * on the current site table, and the listener's default certificate otherwise. Every
 * handshake, with or without SNI, goes through {@link #map}, so that contexts replaced by
 * a certificate reload apply to the next handshake; the contexts themselves are shared
 * with every other listener and worker through {@link TlsContexts}. An ACME certificate
 * is asked of the {@link CertificateProvider} at each handshake, so that one issued or
 * renewed applies at once; until it is issued, the listener's certificate answers. With a
 * {@link CertificateProvider}, an {@link AcmeTlsAlpnHandler} in front of the SNI handler
 * answers TLS-ALPN-01 validations.
 */
final class TlsSupport implements AsyncMapping<String, SslProvider> {

	private final ListenerSettings listener;

	private final AtomicReference<SiteTable> sites;

	private final TlsContexts contexts;

	private final @Nullable CertificateProvider provider;

	TlsSupport(ListenerSettings listener, AtomicReference<SiteTable> sites, TlsContexts contexts,
			@Nullable CertificateProvider provider) {
		this.listener = listener;
		this.sites = sites;
		this.contexts = contexts;
		this.provider = provider;
	}

	void configure(SslProvider.SslContextSpec spec) {
		// every handshake goes through map(), which serves issued certificates: the
		// default context of an ACME listener is the pending certificate, never renewed
		TlsCertificate certificate = this.listener.tls();
		spec.sslContext(this.contexts.context(certificate.acme() ? PendingAcmeCertificate.certificate() : certificate,
				this.listener.http2()))
			.setSniAsyncMappings(this);
	}

	/**
	 * Put the TLS-ALPN-01 handler in front of a new connection's SNI handler, when
	 * certificates come from a CA.
	 * @param channel the accepted connection
	 */
	void addAlpnChallenges(Channel channel) {
		ChannelPipeline pipeline = channel.pipeline();
		if (this.provider != null && pipeline.get(NettyPipeline.SslHandler) != null) {
			pipeline.addBefore(NettyPipeline.SslHandler, AcmeTlsAlpnHandler.NAME,
					new AcmeTlsAlpnHandler(this.provider, this.contexts, NettyPipeline.SslHandler));
		}
	}

	@Override
	public Future<SslProvider> map(String serverName, Promise<SslProvider> promise) {
		try {
			SiteTable table = this.sites.get();
			Site site = (serverName != null) ? table.resolve(serverName, null, this.listener.address()) : null;
			// a site that cannot be served shakes hands with the listener's certificate,
			// so that its clients get the 503 rather than a failed handshake
			TlsCertificate certificate = (site != null && table.unavailableReason(site) == null) ? site.tls() : null;
			SslProvider chosen = (certificate != null) ? provider(certificate) : null;
			return promise.setSuccess((chosen != null) ? chosen : listenerProvider());
		}
		catch (RuntimeException ex) {
			return promise.setFailure(ex);
		}
	}

	private SslProvider listenerProvider() {
		SslProvider issued = provider(this.listener.tls());
		return (issued != null) ? issued
				: this.contexts.provider(PendingAcmeCertificate.certificate(), this.listener.http2());
	}

	// a file certificate, or the one a CA issued (null while none is)
	private @Nullable SslProvider provider(TlsCertificate certificate) {
		if (!certificate.acme()) {
			return this.contexts.provider(certificate, this.listener.http2());
		}
		TlsCertificate issued = (this.provider != null) ? this.provider.certificate(certificate.acmeName()) : null;
		return (issued != null) ? this.contexts.issued(certificate.acmeName(), issued, this.listener.http2()) : null;
	}

}
