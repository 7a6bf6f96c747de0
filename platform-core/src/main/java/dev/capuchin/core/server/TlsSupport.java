package dev.capuchin.core.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import dev.capuchin.core.site.Site;
import dev.capuchin.core.site.SiteTable;
import dev.capuchin.core.site.TlsCertificate;
import io.netty.util.AsyncMapping;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.tcp.SslProvider;

/**
 * TLS for one listener: the listener's default certificate, and SNI that picks the
 * certificate of the site a client names, looked up on the current site table so that a
 * new snapshot's certificates apply without a restart.
 */
final class TlsSupport implements AsyncMapping<String, SslProvider> {

	private final ListenerSettings listener;

	private final AtomicReference<SiteTable> sites;

	private final Map<TlsCertificate, SslProvider> providers = new ConcurrentHashMap<>();

	private final SslProvider fallback;

	TlsSupport(ListenerSettings listener, AtomicReference<SiteTable> sites) {
		this.listener = listener;
		this.sites = sites;
		this.fallback = provider(listener.tls());
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
			Site site = (serverName != null) ? this.sites.get().resolve(serverName, null, this.listener.address())
					: null;
			TlsCertificate certificate = (site != null) ? site.tls() : null;
			return promise.setSuccess((certificate != null) ? provider(certificate) : this.fallback);
		}
		catch (RuntimeException ex) {
			return promise.setFailure(ex);
		}
	}

	private SslProvider provider(TlsCertificate certificate) {
		return this.providers.computeIfAbsent(certificate, (key) -> {
			SslProvider.SslContextSpec spec = SslProvider.builder();
			SslProvider.Builder builder = this.listener.http2()
					? spec.sslContext(
							Http2SslContextSpec.forServer(key.certificate().toFile(), key.privateKey().toFile()))
					: spec.sslContext(
							Http11SslContextSpec.forServer(key.certificate().toFile(), key.privateKey().toFile()));
			return builder.build();
		});
	}

}
