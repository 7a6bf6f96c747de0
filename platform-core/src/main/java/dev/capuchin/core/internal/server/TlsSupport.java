package dev.capuchin.core.internal.server;

import dev.capuchin.core.internal.tls.TlsContexts;
import dev.capuchin.core.spi.Site;
import dev.capuchin.core.spi.SiteTable;
import dev.capuchin.core.spi.TlsCertificate;
import io.netty.util.AsyncMapping;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.concurrent.atomic.AtomicReference;
import reactor.netty.tcp.SslProvider;

/**
 * TLS for one listener: SNI picks the certificate of the site a client names, looked up
 * on the current site table, and the listener's default certificate otherwise. Every
 * handshake, with or without SNI, goes through {@link #map}, so that contexts replaced by
 * a certificate reload apply to the next handshake; the contexts themselves are shared
 * with every other listener and worker through {@link TlsContexts}.
 */
final class TlsSupport implements AsyncMapping<String, SslProvider> {

	private final ListenerSettings listener;

	private final AtomicReference<SiteTable> sites;

	private final TlsContexts contexts;

	TlsSupport(ListenerSettings listener, AtomicReference<SiteTable> sites, TlsContexts contexts) {
		this.listener = listener;
		this.sites = sites;
		this.contexts = contexts;
	}

	void configure(SslProvider.SslContextSpec spec) {
		spec.sslContext(this.contexts.context(this.listener.tls(), this.listener.http2())).setSniAsyncMappings(this);
	}

	@Override
	public Future<SslProvider> map(String serverName, Promise<SslProvider> promise) {
		try {
			SiteTable table = this.sites.get();
			Site site = (serverName != null) ? table.resolve(serverName, null, this.listener.address()) : null;
			// a site that cannot be served shakes hands with the listener's certificate,
			// so that its clients get the 503 rather than a failed handshake
			TlsCertificate certificate = (site != null && table.unavailableReason(site) == null) ? site.tls() : null;
			TlsCertificate chosen = (certificate != null) ? certificate : this.listener.tls();
			return promise.setSuccess(this.contexts.provider(chosen, this.listener.http2()));
		}
		catch (RuntimeException ex) {
			return promise.setFailure(ex);
		}
	}

}
