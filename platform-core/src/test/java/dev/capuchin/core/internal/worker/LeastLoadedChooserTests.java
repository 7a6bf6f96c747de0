package dev.capuchin.core.internal.worker;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ImmediateEventExecutor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LeastLoadedChooserTests {

	private final Worker[] workers = { worker(0), worker(1), worker(2) };

	@Test
	void idleWorkersAreChosenInTurn() {
		LeastLoadedChooserFactory.LeastLoadedChooser chooser = new LeastLoadedChooserFactory.LeastLoadedChooser(
				this.workers);
		EventExecutor first = chooser.next();
		EventExecutor second = chooser.next();
		EventExecutor third = chooser.next();
		assertThat(new int[] { this.workers[0].connections(), this.workers[1].connections(),
				this.workers[2].connections() })
			.containsExactly(1, 1, 1);
		assertThat(first).isNotNull();
		assertThat(second).isNotNull();
		assertThat(third).isNotNull();
	}

	@Test
	void theWorkerWithFewestConnectionsIsChosen() {
		this.workers[0].connectionOpened();
		this.workers[0].connectionOpened();
		this.workers[1].connectionOpened();
		assertThat(LeastLoadedChooserFactory.LeastLoadedChooser.choose(this.workers, 0)).isSameAs(this.workers[2]);
		this.workers[2].connectionOpened();
		this.workers[2].connectionOpened();
		assertThat(LeastLoadedChooserFactory.LeastLoadedChooser.choose(this.workers, 0)).isSameAs(this.workers[1]);
	}

	@Test
	void tiesAreBrokenFromTheRotatingStart() {
		assertThat(LeastLoadedChooserFactory.LeastLoadedChooser.choose(this.workers, 1)).isSameAs(this.workers[1]);
		assertThat(LeastLoadedChooserFactory.LeastLoadedChooser.choose(this.workers, 2)).isSameAs(this.workers[2]);
	}

	@Test
	void aClosedConnectionMakesItsWorkerEligibleAgain() {
		LeastLoadedChooserFactory.LeastLoadedChooser chooser = new LeastLoadedChooserFactory.LeastLoadedChooser(
				this.workers);
		chooser.next();
		chooser.next();
		chooser.next();
		this.workers[1].connectionClosed();
		chooser.next();
		assertThat(this.workers[1].connections()).isEqualTo(1);
		assertThat(this.workers[1].accepted()).isEqualTo(2);
	}

	private static Worker worker(int index) {
		return new Worker(index, "w" + index, ImmediateEventExecutor.INSTANCE);
	}

}
