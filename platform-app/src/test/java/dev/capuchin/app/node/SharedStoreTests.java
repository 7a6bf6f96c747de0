package dev.capuchin.app.node;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class SharedStoreTests {

	@ParameterizedTest
	@ValueSource(
			strings = { "jdbc:postgresql://db.example.com/capuchin", "jdbc:h2:file:./data/capuchin;AUTO_SERVER=TRUE",
					"jdbc:h2:./data/capuchin;auto_server=true", "jdbc:h2:tcp://db.example.com/capuchin" })
	void storesOtherProcessesReachAreShared(String url) {
		assertThat(SharedStore.problem(url)).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "jdbc:h2:mem:capuchin", "jdbc:h2:file:./data/capuchin", "jdbc:h2:~/capuchin", "" })
	void storesOnlyThisProcessOpensAreNot(String url) {
		assertThat(SharedStore.problem(url)).hasValueSatisfying(
				(problem) -> assertThat(problem).contains("an edge node serves what the admin nodes write"));
	}

}
