package dev.capuchin.plugin.mandril;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.testing.EveryTransport;
import dev.capuchin.core.spi.Site;
import dev.capuchin.core.spi.SiteTable;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

import static dev.capuchin.plugin.mandril.MandrilConnectSocketTests.FROM_127_0_0_2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

@EveryTransport
class MandrilRequestSocketTests {

	static final String CONTRACT = """
			server-names: [localhost, "*.example.org"]
			mandril:
			  ip: { deny: [127.0.0.2/32] }
			  uri: { deny: ["/secret", "regex:\\\\.bak$"] }
			  hotlink: { deny: ["/images/"] }
			""";

	@TempDir
	Path temp;

	@Parameter
	Transport transport;

	private final MandrilPlugin mandril = new MandrilPlugin(MandrilSettings.builder().build());

	@Test
	void aClientDeniedByTheSiteGets403() throws Exception {
		try (KernelFixture kernel = fixture(CONTRACT).start();
				RawHttp client = RawHttp.connect(kernel.address(), FROM_127_0_0_2)) {
			RawHttp.Response response = client.exchange(RawHttp.get("/a.txt", "localhost"));
			assertThat(response.status()).isEqualTo(403);
			assertThat(this.mandril.deniedRequests()).isOne();
			assertThat(this.mandril.deniedConnections()).as("the site is known only at REQUEST").isZero();
		}
	}

	@Test
	void aClientAllowedByTheSiteIsServed() throws Exception {
		try (KernelFixture kernel = fixture(CONTRACT).start()) {
			RawHttp.Response response = kernel.get("/a.txt");
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.text()).isEqualTo("static");
		}
	}

	@Test
	void aSiteAllowListRefusesOtherClients() throws Exception {
		try (KernelFixture kernel = fixture("mandril: { ip: { allow: [127.0.0.2] } }").start()) {
			assertThat(kernel.get("/a.txt").status()).isEqualTo(403);
			try (RawHttp client = RawHttp.connect(kernel.address(), FROM_127_0_0_2)) {
				assertThat(client.exchange(RawHttp.get("/a.txt", "localhost")).status()).isEqualTo(200);
			}
		}
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "/secret", "/s%65cret", "/%73%65%63%72%65%74", "/a/../secret", "/a/secret/b.txt",
			"/secret?x=1", "/docs/.%2e/secret", "/dump.bak", "/dump%2ebak", "/dump.%62ak" })
	void aDeniedPathIs403HoweverItIsEncoded(String target) throws Exception {
		try (KernelFixture kernel = fixture(CONTRACT).start()) {
			assertThat(kernel.get(target).status()).isEqualTo(403);
		}
	}

	@Test
	void pathsOutsideTheRulesAreServed() throws Exception {
		try (KernelFixture kernel = fixture(CONTRACT).start()) {
			assertThat(kernel.get("/secre").status()).isEqualTo(200);
			assertThat(kernel.get("/dump.bak.txt").status()).isEqualTo(200);
			assertThat(kernel.get("/SECRET").status()).as("substrings are case-sensitive").isEqualTo(404);
			assertThat(this.mandril.deniedRequests()).isZero();
		}
	}

	@Test
	void theDeniedResponseIsTheSitesErrorPageAndTheConnectionServesOn() throws Exception {
		String site = CONTRACT + "error-pages: { 403: /errors/403.html }\n";
		try (KernelFixture kernel = fixture(site).file("errors/403.html", "go away").start();
				RawHttp client = kernel.connect()) {
			RawHttp.Response denied = client.exchange(RawHttp.get("/secret", "localhost"));
			assertThat(denied.status()).isEqualTo(403);
			assertThat(denied.text()).isEqualTo("go away");
			assertThat(client.exchange(RawHttp.get("/a.txt", "localhost")).status()).isEqualTo(200);
		}
	}

	@Test
	void aHotlinkFromAForeignSiteIs403() throws Exception {
		try (KernelFixture kernel = fixture(CONTRACT).start()) {
			assertThat(get(kernel, "/images/logo.png", "Referer: https://evil.example.com/page").status())
				.isEqualTo(403);
			assertThat(this.mandril.deniedRequests()).isOne();
		}
	}

	@Test
	void aHotlinkFromTheSiteItselfIsServed() throws Exception {
		try (KernelFixture kernel = fixture(CONTRACT).start()) {
			assertThat(get(kernel, "/images/logo.png", "Referer: http://localhost:" + kernel.port() + "/index.html")
				.status()).isEqualTo(200);
			assertThat(get(kernel, "/images/logo.png", "Referer: https://cdn.example.org/page").status())
				.as("a wildcard server name")
				.isEqualTo(200);
		}
	}

	@Test
	void aRequestWithoutRefererIsNoHotlink() throws Exception {
		try (KernelFixture kernel = fixture(CONTRACT).start()) {
			assertThat(kernel.get("/images/logo.png").status()).isEqualTo(200);
		}
	}

	@Test
	void aForeignRefererOutsideHotlinkPathsIsServed() throws Exception {
		try (KernelFixture kernel = fixture(CONTRACT).start()) {
			assertThat(get(kernel, "/a.txt", "Referer: https://evil.example.com/").status()).isEqualTo(200);
		}
	}

	@Test
	void aLocationBlockAddsToTheSiteRules() throws Exception {
		String site = CONTRACT + """
				locations:
				  - path: /private/
				    mandril:
				      uri: { deny: [hidden] }
				      hotlink: { deny: ["regex:\\\\.txt$"] }
				""";
		try (KernelFixture kernel = fixture(site).file("private/hidden.txt", "h")
			.file("hidden.txt", "h")
			.file("private/secret.txt", "s")
			.file("private/open.txt", "o")
			.start()) {
			assertThat(kernel.get("/private/hidden.txt").status()).isEqualTo(403);
			assertThat(kernel.get("/hidden.txt").status()).as("outside the location").isEqualTo(200);
			assertThat(kernel.get("/private/secret.txt").status()).as("the site rule still applies").isEqualTo(403);
			assertThat(get(kernel, "/private/open.txt", "Referer: https://evil.example.com/").status()).isEqualTo(403);
			assertThat(get(kernel, "/a.txt", "Referer: https://evil.example.com/").status()).isEqualTo(200);
		}
	}

	@Test
	void aLocationMayDenyClientAddresses() throws Exception {
		String site = "locations:\n  - path: /private/\n    mandril: { ip: { allow: [127.0.0.2] } }\n";
		try (KernelFixture kernel = fixture(site).file("private/x.txt", "x").start()) {
			assertThat(kernel.get("/private/x.txt").status()).isEqualTo(403);
			assertThat(kernel.get("/a.txt").status()).isEqualTo(200);
		}
	}

	@Test
	void rulesOfOneSiteDoNotTouchAnother() throws Exception {
		Path other = Files.createDirectories(this.temp.resolve("other"));
		Files.writeString(other.resolve("secret"), "other secret");
		try (KernelFixture kernel = fixture(CONTRACT)
			.site(Map.of("name", "other", "server-names", List.of("other.test"), "document-root", other.toString()))
			.start()) {
			assertThat(kernel.get("/secret").status()).isEqualTo(403);
			assertThat(get(kernel, "/secret", null, "other.test").text()).isEqualTo("other secret");
		}
	}

	@Test
	void globalPathRulesApplyOnEverySite() throws Exception {
		MandrilPlugin global = new MandrilPlugin(MandrilSettings.builder().uriDeny("/secret").build());
		try (KernelFixture kernel = KernelFixture.builder(this.temp)
			.transport(this.transport)
			.file("secret", "s")
			.plugin(global)
			.start()) {
			assertThat(kernel.get("/secret").status()).isEqualTo(403);
		}
	}

	@Test
	void aTableWithAnInvalidBlockIsRefusedAndTheRunningRulesStay() throws Exception {
		try (KernelFixture kernel = fixture(CONTRACT).start()) {
			Site site = kernel.server().sites().sites().get(0);
			Map<String, Object> settings = new HashMap<>(site.settings());
			settings.put("mandril", new Yaml().load("uri: { deny: [\"regex:[\"] }"));
			Site broken = new Site(site.name(), site.serverNames(), site.isDefault(), site.listen(),
					site.documentRoot(), site.indexFiles(), site.errorPages(), site.fdt(), site.followSymlinks(),
					site.hiddenFiles(), site.precompressed(), site.tls(), site.locations(), settings);
			assertThatIllegalArgumentException().isThrownBy(() -> kernel.server().sites(SiteTable.of(broken)))
				.withMessage("plugin mandril: site default: mandril.uri.deny[0]: 'regex:[' is not a valid regular "
						+ "expression");
			assertThat(kernel.get("/secret").status()).isEqualTo(403);
		}
	}

	@Test
	void aMonkeyMandrilConfIsEnforced() throws Exception {
		Path conf = Files.writeString(this.temp.resolve("mandril.conf"),
				MonkeyMandrilConfigTests.MONKEY_FILE + "    IP 127.0.0.2\n    URL /secret\n");
		MandrilPlugin monkey = new MandrilPlugin(
				MandrilSettings.builder().rules(MonkeyMandrilConfig.parse(conf)).build());
		try (KernelFixture kernel = KernelFixture.builder(this.temp)
			.transport(this.transport)
			.file("a.txt", "static")
			.file("secret", "s")
			.file("images/logo.png", "png")
			.plugin(monkey)
			.start()) {
			try (RawHttp client = RawHttp.connect(kernel.address(), FROM_127_0_0_2)) {
				assertThat(client.isClosedByServer(2000)).isTrue();
			}
			assertThat(kernel.get("/a.txt").status()).isEqualTo(200);
			assertThat(kernel.get("/secret").status()).isEqualTo(403);
			assertThat(kernel.get("/SeCrEt").status()).as("Monkey's URL rules ignore case").isEqualTo(403);
			assertThat(get(kernel, "/images/logo.png", "Referer: https://evil.example.com/").status()).isEqualTo(403);
			assertThat(get(kernel, "/images/logo.png", "Referer: http://localhost/").status()).isEqualTo(200);
		}
	}

	private KernelFixture.Builder fixture(String siteYaml) throws IOException {
		Map<String, Object> keys = new Yaml().load(siteYaml);
		return KernelFixture.builder(this.temp)
			.transport(this.transport)
			.file("a.txt", "static")
			.file("secret", "s")
			.file("secre", "s")
			.file("dump.bak", "b")
			.file("dump.bak.txt", "t")
			.file("images/logo.png", "png")
			.defaultSite(keys)
			.plugin(this.mandril);
	}

	static RawHttp.Response get(KernelFixture kernel, String path, String header) throws IOException {
		return get(kernel, path, header, "localhost");
	}

	static RawHttp.Response get(KernelFixture kernel, String path, String header, String host) throws IOException {
		try (RawHttp client = kernel.connect()) {
			return client.exchange("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n"
					+ ((header != null) ? header + "\r\n" : "") + "Connection: close\r\n\r\n");
		}
	}

}
