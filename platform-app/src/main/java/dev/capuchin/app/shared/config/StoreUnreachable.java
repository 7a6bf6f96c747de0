package dev.capuchin.app.shared.config;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Tells a store that cannot be reached (stopped, restarted, the network to it cut, its
 * connections terminated) from every other failure: the API answers it with 503 and the
 * console with a page that says so, instead of a 500, and the data plane keeps the
 * configuration it serves. A change refused this way was not applied: its transaction
 * never committed, so PostgreSQL and H2 roll it back whole.
 */
public final class StoreUnreachable {

	private StoreUnreachable() {
	}

	/**
	 * Why the store could not be reached, when that is what a failure says.
	 * @param failure what a store call threw
	 * @return the innermost cause's message (for example "Connection to 127.0.0.1:5432
	 * refused"), or empty for a failure of another kind
	 */
	public static Optional<String> reason(Throwable failure) {
		if (failure instanceof TransactionSystemException rollback && rollback.getApplicationException() != null
				&& rollback.getApplicationException() != failure) {
			// the store went away inside the transaction: the rollback then fails too,
			// and
			// its failure hides the one that says why
			Optional<String> first = reason(rollback.getApplicationException());
			if (first.isPresent()) {
				return first;
			}
		}
		boolean unreachable = false;
		String reason = null;
		for (Throwable cause = failure; cause != null && cause != cause.getCause(); cause = cause.getCause()) {
			unreachable |= isConnectionFailure(cause);
			if (cause.getMessage() != null) {
				reason = cause.getMessage();
			}
		}
		return unreachable ? Optional.of((reason != null) ? reason : failure.getClass().getSimpleName())
				: Optional.empty();
	}

	/**
	 * The message the API and the console show for a change refused because the store
	 * could not be reached.
	 * @param reason what {@link #reason(Throwable)} found
	 * @param servedVersion the configuration version the data plane serves, or a negative
	 * number when unknown
	 * @return the message
	 */
	public static String message(String reason, long servedVersion) {
		return "store: unreachable (" + reason + "); nothing was changed, "
				+ ((servedVersion >= 0) ? "this node keeps serving configuration version " + servedVersion
						: "the data plane keeps serving the configuration it has")
				+ "; try again once the store is back";
	}

	private static boolean isConnectionFailure(Throwable cause) {
		if (cause instanceof CannotCreateTransactionException || cause instanceof DataAccessResourceFailureException
				|| cause instanceof RecoverableDataAccessException
				|| cause instanceof TransientDataAccessResourceException
				|| cause instanceof SQLTransientConnectionException
				|| cause instanceof SQLNonTransientConnectionException || cause instanceof ConnectException) {
			return true;
		}
		// SQLSTATE class 08: connection exception (PostgreSQL's 08006 when the server
		// went away mid-transaction, 08001 when it cannot be reached)
		return cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08");
	}

}
