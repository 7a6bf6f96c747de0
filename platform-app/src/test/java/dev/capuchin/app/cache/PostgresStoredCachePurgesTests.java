package dev.capuchin.app.cache;

import javax.sql.DataSource;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The cache purges' store on a real PostgreSQL: {@code .ci/run} starts one and sets
 * {@code CAPUCHIN_TEST_POSTGRES_URL}; run {@code .ci/postgres.sh} to get the same
 * locally.
 */
@EnabledIfEnvironmentVariable(named = "CAPUCHIN_TEST_POSTGRES_URL", matches = "jdbc:postgresql:.+")
class PostgresStoredCachePurgesTests extends StoredCachePurgesTests {

	@Override
	protected DataSource dataSource() {
		return new DriverManagerDataSource(System.getenv("CAPUCHIN_TEST_POSTGRES_URL"), "capuchin", "capuchin");
	}

}
