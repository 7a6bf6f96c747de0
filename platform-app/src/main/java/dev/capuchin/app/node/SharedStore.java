package dev.capuchin.app.node;

import java.util.Locale;
import java.util.Optional;

/**
 * Whether a store can be shared with other processes, which an edge node needs: it serves
 * what an admin node writes and has no console of its own to write anything.
 */
final class SharedStore {

	private SharedStore() {
	}

	/**
	 * Why a store cannot be an edge node's store.
	 * @param url the store's JDBC URL ({@code spring.datasource.url}), or {@code null}
	 * @return what is wrong and what to use instead, or empty when other processes can
	 * share it
	 */
	static Optional<String> problem(String url) {
		String lower = (url != null) ? url.trim().toLowerCase(Locale.ROOT) : "";
		if (lower.isEmpty()) {
			return Optional.of("no store is set (spring.datasource.url), so the node would get an in-memory one "
					+ "of its own" + CHOICES);
		}
		if (lower.startsWith("jdbc:h2:mem:")) {
			return Optional.of("the store " + url + " lives in this process's memory only" + CHOICES);
		}
		if (lower.startsWith("jdbc:h2:tcp:") || lower.startsWith("jdbc:h2:ssl:") || !lower.startsWith("jdbc:h2:")) {
			// an H2 server, PostgreSQL or another server database: reachable by every
			// node
			return Optional.empty();
		}
		if (lower.contains(";auto_server=true")) {
			// the first process opens the file and serves it to the others on this
			// machine
			return Optional.empty();
		}
		return Optional.of("the H2 file store " + url
				+ " can be opened by one process at a time (add ;AUTO_SERVER=TRUE to share it on one machine)"
				+ CHOICES);
	}

	private static final String CHOICES = "; an edge node serves what the admin nodes write to a shared store: "
			+ "PostgreSQL (spring.datasource.url=jdbc:postgresql://HOST/DB), or on one machine the H2 file "
			+ "with AUTO_SERVER=TRUE (jdbc:h2:file:./data/capuchin;AUTO_SERVER=TRUE;WRITE_DELAY=0)";

}
