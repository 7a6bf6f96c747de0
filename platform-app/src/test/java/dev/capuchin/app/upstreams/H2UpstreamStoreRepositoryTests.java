package dev.capuchin.app.upstreams;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

class H2UpstreamStoreRepositoryTests extends UpstreamStoreRepositoryTests {

	@Override
	protected DataSource dataSource() {
		return new DriverManagerDataSource("jdbc:h2:mem:upstreams-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa",
				"");
	}

}
