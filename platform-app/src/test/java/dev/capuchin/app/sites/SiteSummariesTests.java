package dev.capuchin.app.sites;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.capuchin.core.internal.server.ListenerSettings;
import dev.capuchin.core.internal.site.SiteLoader;
import dev.capuchin.core.spi.TlsCertificate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class SiteSummariesTests {

	@TempDir
	static Path directory;

	private static TlsCertificate certificate;

	private static final InetSocketAddress PLAIN = new InetSocketAddress("127.0.0.1", 8080);

	private static final InetSocketAddress SECURE = new InetSocketAddress("127.0.0.1", 8443);

	@BeforeAll
	static void makeACertificateValidForThirtyDays() throws Exception {
		Path crt = directory.resolve("shop.crt");
		Path key = directory.resolve("shop.key");
		Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
				"-subj", "/CN=shop.test", "-keyout", key.toString(), "-out", crt.toString())
			.redirectErrorStream(true)
			.redirectOutput(directory.resolve("openssl.log").toFile())
			.start();
		assertThat(openssl.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(openssl.exitValue()).as(Files.readString(directory.resolve("openssl.log"))).isZero();
		certificate = new TlsCertificate(crt, key);
	}

	@Test
	void aSiteOnATlsListenerIsServedOverTlsUntilItsCertificateExpiresAndOpensWithHttps() {
		SiteSummaries.Summary summary = summaries(Clock.systemUTC(), plain(), secure()).of(site(Map.of()));
		assertThat(summary.tls()).isTrue();
		assertThat(summary.certificateExpires()).isBetween(Instant.now().plus(Duration.ofDays(29)),
				Instant.now().plus(Duration.ofDays(31)));
		assertThat(summary.expiresSoon()).isFalse();
		assertThat(summary.link()).isEqualTo("https://shop.test:8443/");
	}

	@Test
	void aCertificateThatExpiresWithinTwoWeeksIsMarkedSoon() {
		Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(20)), ZoneOffset.UTC);
		assertThat(summaries(later, secure()).of(site(Map.of())).expiresSoon()).isTrue();
	}

	@Test
	void aSiteOnPlainListenersOnlyIsPlainHttpAndOpensWithHttp() {
		SiteSummaries.Summary summary = summaries(Clock.systemUTC(), plain()).of(site(Map.of()));
		assertThat(summary.tls()).isFalse();
		assertThat(summary.certificateExpires()).isNull();
		assertThat(summary.link()).isEqualTo("http://shop.test:8080/");
	}

	@Test
	void aSiteCertificateWithoutATlsListenerIsShownAsUnused() {
		Map<String, Object> tls = Map.of("tls", Map.of("certificate", certificate.certificate().toString(),
				"private-key", certificate.privateKey().toString()));
		SiteSummaries.Summary summary = summaries(Clock.systemUTC(), plain()).of(site(tls));
		assertThat(summary.tls()).isFalse();
		assertThat(summary.certificateUnused()).isTrue();
		assertThat(summary.certificateExpires()).isNotNull();
	}

	@Test
	void theDefaultPortsAreLeftOutOfTheLink() {
		SiteSummaries summaries = new SiteSummaries(
				() -> List.of(ListenerSettings.plain(new InetSocketAddress("127.0.0.1", 80))), (address) -> address,
				Clock.systemUTC());
		assertThat(summaries.of(site(Map.of())).link()).isEqualTo("http://shop.test/");
	}

	@Test
	void protectedLocationsNameTheirRealmOrMode() {
		SiteSummaries.Summary summary = summaries(Clock.systemUTC(), plain()).of(site(Map.of("locations",
				List.of(Map.of("path", "/admin/", "auth", Map.of("realm", "Staff")),
						Map.of("path", "/api/", "auth", Map.of("bearer", Map.of("issuer", "http://127.0.0.1:9000"))),
						Map.of("path", "/open/")))));
		assertThat(summary.protections()).containsExactly(new SiteSummaries.Protection("/admin/", "auth: Staff"),
				new SiteSummaries.Protection("/api/", "bearer"));
	}

	@Test
	void aLocationSignedInThroughAnOpenIdLoginNamesTheLogin() {
		SiteSummaries.Summary summary = summaries(Clock.systemUTC(), plain()).of(site(Map.of("locations",
				List.of(Map.of("path", "/team/", "auth", Map.of("openid", Map.of("login", "corp")))))));
		assertThat(summary.protections()).containsExactly(new SiteSummaries.Protection("/team/", "openid: corp"));
	}

	@Test
	void accessRulesOfTheSiteAndItsLocationsAreCounted() {
		SiteSummaries.Summary summary = summaries(Clock.systemUTC(), plain()).of(site(Map.of("mandril",
				Map.of("ip", Map.of("deny", List.of("10.0.0.0/8"))), "locations",
				List.of(Map.of("path", "/admin/", "mandril",
						Map.of("ip", Map.of("allow", List.of("127.0.0.1")), "uri", Map.of("deny", List.of("/x"))))))));
		assertThat(summary.rules()).isEqualTo(3);
	}

	@Test
	void aSiteWithoutAPlainHostNameHasNoLink() {
		SiteSummaries.Summary summary = summaries(Clock.systemUTC(), plain())
			.of(site(Map.of("server-names", List.of("*.shop.test"))));
		assertThat(summary.link()).isNull();
	}

	private static SiteSummaries summaries(Clock clock, ListenerSettings... listeners) {
		return new SiteSummaries(() -> List.of(listeners), (address) -> address, clock);
	}

	private static ListenerSettings plain() {
		return ListenerSettings.plain(PLAIN);
	}

	private static ListenerSettings secure() {
		return ListenerSettings.plain(SECURE).withTls(certificate, false);
	}

	private static SiteEntry site(Map<String, Object> keys) {
		Map<String, Object> all = new LinkedHashMap<>();
		all.put("name", "shop");
		all.put("server-names", List.of("shop.test"));
		all.put("document-root", directory.toString());
		all.putAll(keys);
		return new SiteEntry(new SiteLoader(directory).parse(all, "shop"), true);
	}

}
