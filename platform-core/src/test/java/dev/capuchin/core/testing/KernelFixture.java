package dev.capuchin.core.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import dev.capuchin.core.internal.server.CapuchinServer;
import dev.capuchin.core.internal.tls.TlsEngine;
import dev.capuchin.core.internal.transport.Transport;
import org.junit.jupiter.api.Assumptions;
import dev.capuchin.core.internal.server.ListenerSettings;
import dev.capuchin.core.internal.server.ServerSettings;
import dev.capuchin.core.spi.Site;
import dev.capuchin.core.internal.site.SiteLoader;
import dev.capuchin.core.spi.SiteTable;
import dev.capuchin.core.spi.Plugin;

/**
 * Starts the kernel on an ephemeral loopback port over a temporary document root, for
 * real-socket tests.
 */
public final class KernelFixture implements AutoCloseable {

	private final Path temp;

	private final Path root;

	private final CapuchinServer server;

	private KernelFixture(Path temp, Path root, CapuchinServer server) {
		this.temp = temp;
		this.root = root;
		this.server = server;
	}

	public static Builder builder(Path temp) {
		return new Builder(temp);
	}

	public InetSocketAddress address() {
		return address(0);
	}

	public InetSocketAddress address(int listener) {
		InetSocketAddress bound = this.server.boundAddresses().get(listener);
		return new InetSocketAddress("127.0.0.1", bound.getPort());
	}

	public int port() {
		return address().getPort();
	}

	public Path root() {
		return this.root;
	}

	public CapuchinServer server() {
		return this.server;
	}

	/**
	 * Add a site to the running server by swapping in a new site table, as the control
	 * plane does. Useful when a site's keys depend on the bound port.
	 * @param keys the keys of a site file
	 * @return the site
	 */
	public Site addSite(Map<String, Object> keys) {
		Site site = new SiteLoader(this.temp).parse(new LinkedHashMap<>(keys), "site");
		List<Site> sites = new ArrayList<>(this.server.sites().sites());
		sites.add(site);
		this.server.sites(SiteTable.of(sites));
		return site;
	}

	public RawHttp connect() throws IOException {
		return RawHttp.connect(address());
	}

	public RawHttp.Response get(String path) throws IOException {
		try (RawHttp http = connect()) {
			return http.exchange("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
		}
	}

	@Override
	public void close() {
		this.server.stop();
	}

	public static final class Builder {

		private final Path temp;

		private final Path root;

		private String transport = "auto";

		private int workers = 2;

		private TlsEngine tlsEngine;

		private final List<Plugin> plugins = new ArrayList<>();

		private final List<Map<String, Object>> extraSites = new ArrayList<>();

		private UnaryOperator<ServerSettings> settings = UnaryOperator.identity();

		private UnaryOperator<ListenerSettings> listener = UnaryOperator.identity();

		private Map<String, Object> defaultSite = Map.of();

		private InetSocketAddress listenerAddress = new InetSocketAddress("127.0.0.1", 0);

		Builder(Path temp) {
			this.temp = temp;
			this.root = temp.resolve("htdocs");
		}

		/**
		 * Run on one transport; the calling test is skipped (not failed) where the
		 * transport is not available on this machine.
		 * @param transport the transport
		 * @return this builder
		 */
		public Builder transport(Transport transport) {
			Assumptions.assumeTrue(transport.isAvailable(), () -> transport.configName() + " is not available here");
			this.transport = transport.configName();
			return this;
		}

		/**
		 * Run TLS listeners on one engine; the calling test is skipped (not failed) where
		 * the engine is not available on this machine.
		 * @param engine the engine
		 * @return this builder
		 */
		public Builder tlsEngine(TlsEngine engine) {
			Assumptions.assumeTrue(engine.isAvailable(), () -> engine.configName() + " is not available here");
			this.tlsEngine = engine;
			return this;
		}

		public Builder workers(int count) {
			this.workers = count;
			return this;
		}

		public Builder plugin(Plugin plugin) {
			this.plugins.add(plugin);
			return this;
		}

		public Builder settings(UnaryOperator<ServerSettings> customizer) {
			this.settings = customizer;
			return this;
		}

		/** The address the listener binds, {@code 127.0.0.1:0} unless set. */
		public Builder listenerAddress(InetSocketAddress address) {
			this.listenerAddress = address;
			return this;
		}

		public Builder listener(UnaryOperator<ListenerSettings> customizer) {
			this.listener = customizer;
			return this;
		}

		/** Extra keys for the default site (as in a site file). */
		public Builder defaultSite(Map<String, Object> keys) {
			this.defaultSite = keys;
			return this;
		}

		/** Another site, as the keys of a site file. */
		public Builder site(Map<String, Object> keys) {
			this.extraSites.add(keys);
			return this;
		}

		public Builder file(String path, String content) throws IOException {
			return file(path, content.getBytes(StandardCharsets.UTF_8));
		}

		public Builder file(String path, byte[] content) throws IOException {
			Path file = this.root.resolve(path);
			Files.createDirectories(file.getParent());
			Files.write(file, content);
			return this;
		}

		public Path root() throws IOException {
			Files.createDirectories(this.root);
			return this.root;
		}

		public KernelFixture start() throws IOException {
			Files.createDirectories(this.root);
			SiteLoader loader = new SiteLoader(this.temp);
			List<Site> sites = new ArrayList<>();
			Map<String, Object> keys = new LinkedHashMap<>();
			keys.put("name", "default");
			keys.put("server-names", List.of("localhost"));
			keys.put("default", true);
			keys.put("document-root", this.root.toString());
			keys.putAll(this.defaultSite);
			sites.add(loader.parse(keys, "default"));
			for (Map<String, Object> extra : this.extraSites) {
				sites.add(loader.parse(new LinkedHashMap<>(extra), "site"));
			}
			ListenerSettings listenerSettings = this.listener.apply(ListenerSettings.plain(this.listenerAddress));
			ServerSettings serverSettings = this.settings
				.apply(ServerSettings.of(List.of(listenerSettings), this.workers).withTransport(this.transport));
			if (this.tlsEngine != null) {
				serverSettings = serverSettings.withTls(serverSettings.tls().withEngine(this.tlsEngine.configName()));
			}
			CapuchinServer server = new CapuchinServer(serverSettings, SiteTable.of(sites), this.plugins);
			server.start();
			return new KernelFixture(this.temp, this.root, server);
		}

	}

}
