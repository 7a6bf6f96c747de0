package dev.capuchin.app.certificates;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.SSLContext;

import dev.capuchin.app.TestApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A site named {@code *.wild.example.test} gets a wildcard certificate proved by DNS-01:
 * the DNS hook, a shell script, publishes and removes the TXT record through
 * {@code pebble-challtestsrv}'s management API with curl, as a script would through a DNS
 * provider's.
 */
@EnabledIf("dev.capuchin.app.certificates.AcmeIssuanceTests#pebbleInstalled")
class AcmeDnsWildcardTests {

	private static final String WILDCARD = "*.wild.example.test";

	@TempDir
	static Path temp;

	private static Pebble pebble;

	private static ConfigurableApplicationContext node;

	private static Path hookLog;

	@BeforeAll
	static void startPebbleAndANode() throws Exception {
		int httpPort = Pebble.freePort();
		pebble = Pebble.create(temp, httpPort, Duration.ofDays(90));
		pebble.start();
		hookLog = temp.resolve("hook.log");
		Path hook = temp.resolve("dns-hook.sh");
		Files.writeString(hook, """
				#!/bin/sh
				# <hook> present|cleanup <record> <value>
				set -e
				case "$1" in
				  present) path=set-txt; body="{\\"host\\":\\"$2\\",\\"value\\":\\"$3\\"}" ;;
				  cleanup) path=clear-txt; body="{\\"host\\":\\"$2\\"}" ;;
				  *) echo "unknown action $1" >&2; exit 2 ;;
				esac
				echo "$1 $2 $CAPUCHIN_ACME_DOMAIN" >> %s
				curl -sS -f -m 10 -X POST -d "$body" %s/$path
				""".formatted(hookLog, pebble.dnsManagementUrl()));
		Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwx------"));
		Path root = temp.resolve("wild");
		TestApplication.write(root.resolve("index.html"), "wild");
		TestApplication.write(temp.resolve("sites/wild.yml"), "name: wild\nserver-names: [\"" + WILDCARD + "\"]\n"
				+ "document-root: " + root + "\ntls: {acme: true}\n");
		node = AcmeTestSupport.start(temp, pebble, httpPort, "--capuchin.acme.dns-hook=" + hook,
				"--capuchin.acme.dns-hook-timeout=20s");
	}

	@AfterAll
	static void stopThem() {
		if (node != null) {
			node.close();
		}
		if (pebble != null) {
			pebble.close();
		}
	}

	@Test
	void aWildcardCertificateIsIssuedByDns01AndServedForTwoSubNames() throws Exception {
		SSLContext trustingPebble = Pebble.trusting(List.of(pebble.root()));
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(250))
			.ignoreExceptions()
			.untilAsserted(() -> assertThat(
					AcmeTestSupport.https(AcmeTestSupport.tlsPort(node), "one.wild.example.test", trustingPebble))
				.startsWith("HTTP/1.1 200")
				.endsWith("wild"));
		assertThat(AcmeTestSupport.https(AcmeTestSupport.tlsPort(node), "two.wild.example.test", trustingPebble))
			.startsWith("HTTP/1.1 200")
			.endsWith("wild");
		JdbcTemplate store = node.getBean(JdbcTemplate.class);
		assertThat(store.queryForObject("select names from certificate where name = 'wild'", String.class))
			.isEqualTo(WILDCARD);
	}

	@Test
	void theHookPresentsTheRecordAndCleansItUpAfterTheValidation() {
		await().atMost(Duration.ofSeconds(60))
			.ignoreExceptions()
			.untilAsserted(() -> assertThat(Files.readAllLines(hookLog)).containsExactly(
					"present _acme-challenge.wild.example.test. wild.example.test",
					"cleanup _acme-challenge.wild.example.test. wild.example.test"));
	}

}
