package dev.capuchin.core.internal.server;

import java.io.File;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import dev.capuchin.core.spi.Site;
import dev.capuchin.core.spi.SiteTable;
import dev.capuchin.core.spi.TlsCertificate;
import io.netty.util.AsyncMapping;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.tcp.SslProvider;

/**
 * TLS for one listener: the listener's default certificate, and SNI that picks the
 * certificate of the site a client names, looked up on the current site table so that a
 * new snapshot's certificates apply without a restart. Site certificates are read once
 * per snapshot, so a certificate renewed in place applies from the next snapshot on.
 */
final class TlsSupport implements AsyncMapping<String, SslProvider> {

	private final ListenerSettings listener;

	private final AtomicReference<SiteTable> sites;

	private final SslProvider fallback;

	private volatile Snapshot snapshot;

	TlsSupport(ListenerSettings listener, AtomicReference<SiteTable> sites) {
		this.listener = listener;
		this.sites = sites;
		this.fallback = build(listener.tls());
	}

	SslProvider defaultProvider() {
		return this.fallback;
	}

	void configure(SslProvider.SslContextSpec spec) {
		TlsCertificate certificate = this.listener.tls();
		SslProvider.Builder builder = this.listener.http2()
				? spec.sslContext(Http2SslContextSpec.forServer(certificate.certificate().toFile(),
						certificate.privateKey().toFile()))
				: spec.sslContext(Http11SslContextSpec.forServer(certificate.certificate().toFile(),
						certificate.privateKey().toFile()));
		builder.setSniAsyncMappings(this);
	}

	@Override
	public Future<SslProvider> map(String serverName, Promise<SslProvider> promise) {
		try {
			SiteTable table = this.sites.get();
			Site site = (serverName != null) ? table.resolve(serverName, null, this.listener.address()) : null;
			// a site that cannot be served shakes hands with the listener's certificate,
			// so that its clients get the 503 rather than a failed handshake
			TlsCertificate certificate = (site != null && table.unavailableReason(site) == null) ? site.tls() : null;
			return promise.setSuccess((certificate != null) ? provider(table, certificate) : this.fallback);
		}
		catch (RuntimeException ex) {
			return promise.setFailure(ex);
		}
	}

	private SslProvider provider(SiteTable table, TlsCertificate certificate) {
		Snapshot current = this.snapshot;
		if (current == null || current.table() != table) {
			// a racing thread may build its own snapshot: both are correct, one is kept
			current = new Snapshot(table, new ConcurrentHashMap<>());
			this.snapshot = current;
		}
		return current.providers().computeIfAbsent(certificate, this::build);
	}

	private SslProvider build(TlsCertificate certificate) {
		SslProvider.SslContextSpec spec = SslProvider.builder();
		File chain = certificate.certificate().toFile();
		File key = certificate.privateKey().toFile();
		SslProvider.Builder builder = this.listener.http2() ? spec.sslContext(Http2SslContextSpec.forServer(chain, key))
				: spec.sslContext(Http11SslContextSpec.forServer(chain, key));
		return builder.build();
	}

	/** The site certificates read for one site table. */
	private record Snapshot(SiteTable table, Map<TlsCertificate, SslProvider> providers) {
	}

}
