package dev.capuchin.app.certificates;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.SSLContext;

import dev.capuchin.app.rules.AccessRuleMigration;
import dev.capuchin.core.internal.server.CapuchinServer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two nodes on one PostgreSQL store ({@code .ci/run} starts one and sets
 * {@code CAPUCHIN_TEST_POSTGRES_URL}) and one Pebble. Node a holds the order lease for
 * {@code shop} before either node starts, so it is the one that orders; Pebble validates
 * HTTP-01 only on node b's plain-HTTP port (node a listens elsewhere), so the order
 * succeeds only because node b answers the token node a put in the store. Both nodes then
 * serve the one certificate.
 */
@EnabledIfEnvironmentVariable(named = "CAPUCHIN_TEST_POSTGRES_URL", matches = "jdbc:postgresql:.+")
@EnabledIf("dev.capuchin.app.certificates.AcmeIssuanceTests#pebbleInstalled")
class AcmeTwoNodesTests {

	private static final String URL = System.getenv("CAPUCHIN_TEST_POSTGRES_URL");

	@TempDir
	static Path temp;

	private static Pebble pebble;

	private static ConfigurableApplicationContext nodeA;

	private static ConfigurableApplicationContext nodeB;

	private static JdbcTemplate store;

	@BeforeAll
	static void startPebbleAndTwoNodes() throws Exception {
		store = new JdbcTemplate(new DriverManagerDataSource(URL, "capuchin", "capuchin"));
		// migrated as a node migrates it, so that the lease can be written before either
		// node looks
		Flyway flyway = Flyway.configure()
			.dataSource(URL, "capuchin", "capuchin")
			.javaMigrations(new AccessRuleMigration())
			.cleanDisabled(false)
			.load();
		flyway.clean();
		flyway.migrate();
		// the lease is node a's before any node looks, so which node orders is known
		store.update("insert into certificate (name, names, source, next_attempt, failures, updated_at, "
				+ "lease_owner, lease_until) values ('shop', ?, 'acme', now(), 0, now(), 'node-a', "
				+ "now() + interval '1 hour')", AcmeTestSupport.SHOP);
		pebble = Pebble.create(temp, Pebble.freePort(), Duration.ofDays(90));
		pebble.start();
		// node b takes the port Pebble validates on, and is up before node a orders
		nodeB = node("node-b", pebble.httpPort());
		nodeA = node("node-a", Pebble.freePort());
	}

	@AfterAll
	static void stopEverything() {
		try {
			if (nodeA != null) {
				nodeA.close();
			}
			if (nodeB != null) {
				nodeB.close();
			}
		}
		finally {
			if (pebble != null) {
				pebble.close();
			}
		}
	}

	@Test
	void theNodeHoldingTheLeaseOrdersOnceAndItsChallengeIsAnsweredByTheOtherNode() {
		awaitIssued();
		assertThat(plainPort(nodeA)).isNotEqualTo(pebble.httpPort());
		assertThat(plainPort(nodeB)).isEqualTo(pebble.httpPort());
		// no failed first attempt: node a's own order went through, proved on node b
		assertThat(store.queryForObject(
				"select count(*) from audit_log where action = 'failed' and target = 'certificate shop'",
				Integer.class))
			.isZero();
		assertThat(store.queryForObject(
				"select count(*) from audit_log where action = 'issued' and target = 'certificate shop'",
				Integer.class))
			.isEqualTo(1);
		assertThat(store.queryForObject("select lease_owner from certificate where name = 'shop'", String.class))
			.isNull();
	}

	@Test
	void bothNodesServeTheOneCertificate() {
		String serial = awaitIssued();
		SSLContext trust = Pebble.trusting(List.of(pebble.root()));
		for (ConfigurableApplicationContext node : List.of(nodeA, nodeB)) {
			await().atMost(AcmeTestSupport.ISSUANCE)
				.pollInterval(Duration.ofMillis(250))
				.ignoreExceptions()
				.untilAsserted(() -> {
					assertThat(AcmeTestSupport.servedSerial(AcmeTestSupport.tlsPort(node), AcmeTestSupport.SHOP, trust))
						.isEqualTo(serial);
					assertThat(AcmeTestSupport.https(AcmeTestSupport.tlsPort(node), AcmeTestSupport.SHOP, trust))
						.startsWith("HTTP/1.1 200")
						.endsWith("shop");
				});
		}
	}

	private static String awaitIssued() {
		await().atMost(AcmeTestSupport.ISSUANCE)
			.until(() -> store
				.queryForList("select serial from certificate where name = 'shop' and serial is not null", String.class)
				.size() == 1);
		return store.queryForObject("select serial from certificate where name = 'shop'", String.class);
	}

	private static int plainPort(ConfigurableApplicationContext node) {
		return node.getBean(CapuchinServer.class).boundAddresses().get(0).getPort();
	}

	private static ConfigurableApplicationContext node(String id, int httpPort) throws Exception {
		return AcmeTestSupport.start(temp, pebble, httpPort, "--capuchin.node.id=" + id,
				"--spring.datasource.url=" + URL, "--spring.datasource.username=capuchin",
				"--spring.datasource.password=capuchin", "--capuchin.acme.storage=" + temp.resolve("acme-" + id));
	}

}
