package dev.capuchin.app.cache;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

class H2StoredCachePurgesTests extends StoredCachePurgesTests {

	@Override
	protected DataSource dataSource() {
		return new DriverManagerDataSource("jdbc:h2:mem:cache-purges-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa",
				"");
	}

}
