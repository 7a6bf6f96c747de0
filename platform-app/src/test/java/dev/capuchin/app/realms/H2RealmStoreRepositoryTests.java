package dev.capuchin.app.realms;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

class H2RealmStoreRepositoryTests extends RealmStoreRepositoryTests {

	@Override
	protected DataSource dataSource() {
		return new DriverManagerDataSource("jdbc:h2:mem:realms-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
	}

}
