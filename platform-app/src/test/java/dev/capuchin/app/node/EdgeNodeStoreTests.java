package dev.capuchin.app.node;

import dev.capuchin.app.CapuchinApplication;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class EdgeNodeStoreTests {

	@Test
	void anEdgeNodeOnAnInMemoryStoreIsRefusedByName() {
		assertThatIllegalStateException()
			.isThrownBy(() -> new SpringApplicationBuilder(CapuchinApplication.class).run("--capuchin.node.role=edge",
					"--spring.datasource.url=jdbc:h2:mem:edge-alone"))
			.withMessageContaining("capuchin.node.role=edge: the store jdbc:h2:mem:edge-alone lives in this "
					+ "process's memory only")
			.withMessageContaining("PostgreSQL");
	}

	@Test
	void anUnknownRoleIsRefusedWithTheChoices() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new SpringApplicationBuilder(CapuchinApplication.class).run("--capuchin.node.role=cache"))
			.withMessage("capuchin.node.role: 'cache' (expected: one of full, edge, admin)");
	}

}
