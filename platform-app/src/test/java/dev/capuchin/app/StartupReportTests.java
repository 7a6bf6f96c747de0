package dev.capuchin.app;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.core.metrics.StartupStep;

import static org.assertj.core.api.Assertions.assertThat;

class StartupReportTests {

	@Test
	void eachLineNamesTheStepItsTagsAndItsOwnAndWholeTime() {
		BufferingApplicationStartup startup = new BufferingApplicationStartup(10);
		StartupStep outer = startup.start("spring.beans.instantiate").tag("beanName", "capuchinServer");
		startup.start("spring.beans.smart-initialize").end();
		outer.end();

		List<String> lines = StartupReport.slowest(startup.getBufferedTimeline().getEvents(), 10);

		assertThat(lines).hasSize(2)
			.anySatisfy((line) -> assertThat(line)
				.matches(" *\\d+ ms own, +\\d+ ms in all: spring.beans.instantiate beanName=capuchinServer"))
			.anySatisfy((line) -> assertThat(line).endsWith("in all: spring.beans.smart-initialize"));
	}

	@Test
	void onlyTheRequestedNumberOfStepsIsListed() {
		BufferingApplicationStartup startup = new BufferingApplicationStartup(10);
		for (int i = 0; i < 5; i++) {
			startup.start("step-" + i).end();
		}

		assertThat(StartupReport.slowest(startup.getBufferedTimeline().getEvents(), 3)).hasSize(3);
	}

}
