package dev.capuchin.app.shared.config;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.TransactionSystemException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which failures of a store call say the store cannot be reached.
 */
class StoreUnreachableTests {

	@Test
	void aBrokenConnectionIsUnreachableWithItsMessage() {
		SQLException broken = new SQLException("An I/O error occurred while sending to the backend.", "08006");
		assertThat(StoreUnreachable.reason(new DataAccessResourceFailureException("update", broken)))
			.contains("An I/O error occurred while sending to the backend.");
	}

	@Test
	void aRollbackThatFailedAfterTheConnectionBrokeIsUnreachable() {
		SQLException broken = new SQLException("An I/O error occurred while sending to the backend.", "08006");
		TransactionSystemException rollback = new TransactionSystemException("JDBC rollback failed",
				new SQLException("Connection is closed"));
		rollback.initApplicationException(new DataAccessResourceFailureException("update", broken));
		assertThat(StoreUnreachable.reason(rollback)).contains("An I/O error occurred while sending to the backend.");
	}

	@Test
	void aRollbackThatFailedAfterAnotherErrorIsNotUnreachable() {
		TransactionSystemException rollback = new TransactionSystemException("JDBC rollback failed",
				new SQLException("Connection is closed"));
		rollback.initApplicationException(new IllegalStateException("a bug"));
		assertThat(StoreUnreachable.reason(rollback)).isEmpty();
	}

	@Test
	void aConstraintViolationIsNotUnreachable() {
		assertThat(StoreUnreachable.reason(new SQLException("duplicate key", "23505"))).isEmpty();
	}

}
