package dev.capuchin.app.shared.config;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

class H2StoreRepositoryTests extends StoreRepositoryTests {

	@Override
	protected DataSource dataSource() {
		return new DriverManagerDataSource("jdbc:h2:mem:store-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
	}

}
