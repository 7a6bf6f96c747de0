package dev.capuchin.app.openidlogins;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

class H2StoredOpenIdRevocationsTests extends StoredOpenIdRevocationsTests {

	@Override
	protected DataSource dataSource() {
		return new DriverManagerDataSource("jdbc:h2:mem:revocations-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa",
				"");
	}

}
