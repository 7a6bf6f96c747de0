package dev.capuchin.plugin.cgi.internal;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LaunchMechanismTests {

	@Test
	void unsetPropertyIsTheJdksPosixSpawn() {
		assertThat(LaunchMechanism.of(null)).isEqualTo(LaunchMechanism.POSIX_SPAWN);
	}

	@Test
	void propertyIsReadWithoutRegardToCase() {
		assertThat(LaunchMechanism.of("vfork")).isEqualTo(LaunchMechanism.VFORK);
	}

	@Test
	void unknownPropertyValueIsNoMechanism() {
		assertThat(LaunchMechanism.of("spoon")).isNull();
	}

	@Test
	void startLineOfTheDefaultNamesTheExtraLoadAndTheOption() {
		assertThat(LaunchMechanism.startLine((name) -> null))
			.contains("POSIX_SPAWN launch mechanism (the JDK's default)")
			.contains("jspawnhelper")
			.contains("-Djdk.lang.Process.launchMechanism=VFORK");
	}

	@Test
	void startLineOfVforkSaysScriptsAreExecutedDirectly() {
		assertThat(LaunchMechanism.startLine(Map.of(LaunchMechanism.PROPERTY, "VFORK")::get))
			.contains("VFORK launch mechanism (jdk.lang.Process.launchMechanism=VFORK)")
			.contains("executed directly");
	}

	@Test
	void startLineOfAnUnknownValueSaysWhatIsExpected() {
		assertThat(LaunchMechanism.startLine(Map.of(LaunchMechanism.PROPERTY, "spoon")::get)).contains("'spoon'")
			.contains("expected: one of POSIX_SPAWN, VFORK, FORK");
	}

}
