package dev.capuchin.app.audit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AuditActionTests {

	@Test
	void olderSpellingsAreStoredAsTheVerbOfTheSet() {
		assertThat(AuditAction.verbOf("create")).isEqualTo("added");
		assertThat(AuditAction.verbOf("update")).isEqualTo("changed");
		assertThat(AuditAction.verbOf("reset-password")).isEqualTo("changed");
		assertThat(AuditAction.verbOf("delete")).isEqualTo("removed");
		assertThat(AuditAction.verbOf("revoke")).isEqualTo("revoked");
		assertThat(AuditAction.verbOf("rotate-secret")).isEqualTo("rotated");
		assertThat(AuditAction.verbOf("import")).isEqualTo("imported");
		assertThat(AuditAction.verbOf("Disabled")).isEqualTo("disabled");
	}

	@Test
	void aVerbOutsideTheSetIsStoredAsWritten() {
		assertThat(AuditAction.verbOf(" Test ")).isEqualTo("test");
	}

}
