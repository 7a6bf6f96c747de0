package dev.capuchin.app.identity;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

import org.apache.catalina.connector.Connector;
import org.apache.commons.logging.LogFactory;
import org.apache.coyote.AbstractProtocol;
import org.apache.coyote.ProtocolHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.boot.tomcat.SslConnectorCustomizer;
import org.springframework.boot.tomcat.TomcatProtocolHandlerCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.util.LambdaSafe;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.servlet.context.ServletWebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;

/**
 * The public identity listener: a second connector on the control plane's own servlet
 * container, with TLS from an SSL bundle or a PEM certificate and key. It serves the same
 * application as the control listener; {@link PublicPathsFilter} keeps everything but the
 * identity paths from answering on it. The connector gets the control listener's limits
 * ({@code server.tomcat.*}, header sizes, timeouts): the factory's customizers are
 * applied to it too, after they have all been registered.
 */
public final class IdentityListener implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered,
		ApplicationListener<ServletWebServerInitializedEvent> {

	private static final Logger logger = LoggerFactory.getLogger(IdentityListener.class);

	private final IdentityListenerProperties properties;

	private final SslBundle bundle;

	private final String issuer;

	private volatile Connector connector;

	/**
	 * A listener for the given settings.
	 * @param properties the listener's settings, with a port
	 * @param bundles the application's SSL bundles, when {@code ssl-bundle} names one
	 * @param issuer the configured issuer, or {@code null}
	 */
	public IdentityListener(IdentityListenerProperties properties, SslBundles bundles, String issuer) {
		if (!properties.enabled()) {
			throw new IllegalArgumentException(IdentityListenerProperties.PREFIX + ".port: not set");
		}
		this.properties = properties;
		this.issuer = issuer;
		this.bundle = bundle(properties, bundles);
		if (properties.sslBundle() != null) {
			// a renewed certificate is served without a restart
			bundles.addBundleUpdateHandler(properties.sslBundle(), this::update);
		}
		if (issuer == null) {
			logger.warn("capuchin.identity.issuer is not set while the public identity listener is on: tokens "
					+ "carry the URL each request arrived at; set it to the listener's public URL");
		}
		else if (properties.tls() && issuer.startsWith("http:")) {
			logger.warn("capuchin.identity.issuer is {} while the public identity listener speaks TLS: "
					+ "set it to the listener's public https URL", issuer);
		}
	}

	private static SslBundle bundle(IdentityListenerProperties properties, SslBundles bundles) {
		String prefix = IdentityListenerProperties.PREFIX;
		if (properties.sslBundle() != null) {
			try {
				return bundles.getBundle(properties.sslBundle());
			}
			catch (NoSuchSslBundleException ex) {
				throw new IllegalArgumentException(prefix + ".ssl-bundle: '" + properties.sslBundle()
						+ "' (expected: one of the bundles under spring.ssl.bundle.*: " + bundles.getBundleNames()
						+ ")", ex);
			}
		}
		if (properties.certificate() != null) {
			SslBundle bundle = SslBundle
				.of(new PemSslStoreBundle(PemSslStoreDetails.forCertificate(properties.certificate().toUri().toString())
					.withPrivateKey(properties.privateKey().toUri().toString()), null));
			try {
				// read now, so a bad file stops the start with its key's name
				bundle.getStores().getKeyStore();
			}
			catch (RuntimeException ex) {
				throw new IllegalArgumentException(prefix + ".certificate: " + properties.certificate()
						+ ", private-key: " + properties.privateKey() + " (expected: a PEM certificate and its key: "
						+ ex.getMessage() + ")", ex);
			}
			return bundle;
		}
		return null;
	}

	@Override
	public void customize(TomcatServletWebServerFactory factory) {
		int port = this.properties.port();
		if (port != 0 && port == factory.getPort()) {
			throw new IllegalArgumentException(IdentityListenerProperties.PREFIX + ".port: " + port
					+ " (expected: another port than the control listener's server.port)");
		}
		Connector connector = new Connector(factory.getProtocol());
		connector.setPort(port);
		connector.setProperty("bindOnInit", "false");
		ProtocolHandler handler = connector.getProtocolHandler();
		if (handler instanceof AbstractProtocol<?> protocol) {
			protocol.setAddress(address(this.properties.address()));
		}
		// the control listener's limits and threads
		factory.getConnectorCustomizers().forEach((customizer) -> customizer.customize(connector));
		customizeProtocol(factory, handler);
		if (this.bundle != null) {
			new SslConnectorCustomizer(LogFactory.getLog(IdentityListener.class), connector, Ssl.ClientAuth.NONE)
				.customize(this.bundle, Map.of());
		}
		factory.addAdditionalConnectors(connector);
		this.connector = connector;
	}

	private static InetAddress address(String address) {
		try {
			return InetAddress.getByName(address);
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException(IdentityListenerProperties.PREFIX + ".address: '" + address
					+ "' (expected: an IP address or a host name that resolves)", ex);
		}
	}

	@SuppressWarnings("unchecked")
	private static void customizeProtocol(TomcatServletWebServerFactory factory, ProtocolHandler handler) {
		LambdaSafe.callbacks(TomcatProtocolHandlerCustomizer.class, factory.getProtocolHandlerCustomizers(), handler)
			.invoke((customizer) -> customizer.customize(handler));
	}

	private void update(SslBundle updated) {
		Connector connector = this.connector;
		if (connector != null) {
			new SslConnectorCustomizer(LogFactory.getLog(IdentityListener.class), connector, Ssl.ClientAuth.NONE)
				.update(null, updated);
			logger.info("Public identity listener: certificate of SSL bundle '{}' reloaded",
					this.properties.sslBundle());
		}
	}

	@Override
	public void onApplicationEvent(ServletWebServerInitializedEvent event) {
		logger.info("Public identity listener on {}://{}:{}: identity paths only, issuer {}", tls() ? "https" : "http",
				this.properties.address(), localPort(), (this.issuer != null) ? this.issuer : "(not set)");
	}

	/**
	 * The port the listener is bound to.
	 * @return the local port, or {@code -1} before it is bound
	 */
	public int localPort() {
		Connector connector = this.connector;
		return (connector != null) ? connector.getLocalPort() : -1;
	}

	/**
	 * Whether the listener speaks TLS.
	 * @return whether it has a certificate
	 */
	public boolean tls() {
		return this.bundle != null;
	}

	/**
	 * The issuer the listener's discovery announces.
	 * @return the configured issuer, or {@code null}
	 */
	public String issuer() {
		return this.issuer;
	}

	@Override
	public int getOrder() {
		// after Boot's own customizers, whose connector customizers it applies
		return Ordered.LOWEST_PRECEDENCE;
	}

}
