package dev.capuchin.plugin.cgi.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LimiterTests {

	@Test
	void freePlaceIsGivenAtOnce() {
		Limiter limiter = new Limiter(1);
		Limiter.Place place = limiter.acquire(Duration.ZERO).block();
		assertThat(place).isNotNull();
		assertThat(limiter.taken()).isEqualTo(1);
		place.release();
		assertThat(limiter.taken()).isZero();
	}

	@Test
	void fullLimiterFailsAfterTheWait() {
		Limiter limiter = new Limiter(1);
		limiter.acquire(Duration.ZERO).block();
		assertThatThrownBy(() -> limiter.acquire(Duration.ofMillis(50)).block()).hasCauseInstanceOf(Limiter.Full.class);
		assertThat(limiter.waiting()).isZero();
	}

	@Test
	void releasedPlaceGoesToTheFirstWaiter() {
		Limiter limiter = new Limiter(1);
		Limiter.Place first = limiter.acquire(Duration.ZERO).block();
		AtomicReference<Limiter.Place> second = new AtomicReference<>();
		limiter.acquire(Duration.ofSeconds(10)).subscribe(second::set);
		assertThat(limiter.waiting()).isEqualTo(1);
		assertThat(second).hasValue(null);
		first.release();
		assertThat(second.get()).isNotNull();
		assertThat(limiter.taken()).isEqualTo(1);
	}

	@Test
	void releasingTwiceCountsOnce() {
		Limiter limiter = new Limiter(2);
		Limiter.Place place = limiter.acquire(Duration.ZERO).block();
		limiter.acquire(Duration.ZERO).block();
		place.release();
		place.release();
		assertThat(limiter.taken()).isEqualTo(1);
	}

	@Test
	void cancelledWaiterLeavesTheLine() {
		Limiter limiter = new Limiter(1);
		Limiter.Place first = limiter.acquire(Duration.ZERO).block();
		Disposable waiting = limiter.acquire(Duration.ofSeconds(10)).subscribe();
		assertThat(limiter.waiting()).isEqualTo(1);
		waiting.dispose();
		assertThat(limiter.waiting()).isZero();
		first.release();
		assertThat(limiter.taken()).isZero();
	}

}
