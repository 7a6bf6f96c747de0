package dev.capuchin.app.upstreams;

import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import dev.capuchin.plugin.proxy.BalancerKind;
import dev.capuchin.plugin.proxy.Upstream;
import dev.capuchin.plugin.proxy.UpstreamServer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The {@code proxy_upstream} table and {@link UpstreamStore}, run against each supported
 * database after the real migrations.
 */
abstract class UpstreamStoreRepositoryTests {

	private JdbcTemplate jdbc;

	private UpstreamStore upstreams;

	protected abstract DataSource dataSource();

	@BeforeEach
	void migrate() {
		DataSource dataSource = dataSource();
		Flyway flyway = Flyway.configure().dataSource(dataSource).cleanDisabled(false).load();
		flyway.clean();
		flyway.migrate();
		this.jdbc = new JdbcTemplate(dataSource);
		this.upstreams = new UpstreamStore(this.jdbc);
	}

	@Test
	void upstreamsRoundTripInListOrderWithEverySetting() {
		assertThat(this.upstreams.findAll()).isEmpty();
		Upstream api = UpstreamDocument.parse("upstreams[0]",
				Map.of("name", "api", "balancer", "least-connections", "servers",
						List.of(Map.of("url", "http://127.0.0.1:9001", "weight", 3),
								Map.of("url", "http://127.0.0.1:9003", "backup", true, "drain", true)),
						"max-fails", 2, "fail-timeout", "10s", "health", Map.of("path", "/health", "interval", "5s")));
		Upstream web = Upstream.of("web", BalancerKind.ROUND_ROBIN,
				List.of(UpstreamServer.of("http://127.0.0.1:9100")));
		this.upstreams.replaceAll(List.of(web, api));
		assertThat(this.upstreams.findAll()).containsExactly(web, api);
		assertThat(this.upstreams.createdAt()).containsOnlyKeys("web", "api");
	}

	@Test
	void replacingUpdatesChangedDefinitionsAndOrderDeletesTheMissingAndKeepsCreationTimes() {
		Upstream one = Upstream.of("one", BalancerKind.NAIVE, List.of(UpstreamServer.of("http://127.0.0.1:9001")));
		Upstream two = Upstream.of("two", BalancerKind.NAIVE, List.of(UpstreamServer.of("http://127.0.0.1:9002")));
		Upstream three = Upstream.of("three", BalancerKind.NAIVE, List.of(UpstreamServer.of("http://127.0.0.1:9003")));
		this.upstreams.replaceAll(List.of(one, two, three));
		var created = this.upstreams.createdAt();
		Upstream drained = two.withDrain("http://127.0.0.1:9002", true);
		this.upstreams.replaceAll(List.of(drained, one));
		assertThat(this.upstreams.findAll()).containsExactly(drained, one);
		assertThat(this.upstreams.findAll().get(0).servers().get(0).drain()).isTrue();
		assertThat(this.upstreams.createdAt()).containsEntry("one", created.get("one"))
			.containsEntry("two", created.get("two"))
			.doesNotContainKey("three");
	}

	@Test
	void namesAreUniqueInTheTable() {
		this.jdbc.update("insert into proxy_upstream (name, position, definition, created_at) "
				+ "values ('dup', 0, 'servers: []', current_timestamp)");
		assertThatExceptionOfType(DataIntegrityViolationException.class)
			.isThrownBy(() -> this.jdbc.update("insert into proxy_upstream (name, position, definition, created_at) "
					+ "values ('dup', 1, 'servers: []', current_timestamp)"));
	}

}
