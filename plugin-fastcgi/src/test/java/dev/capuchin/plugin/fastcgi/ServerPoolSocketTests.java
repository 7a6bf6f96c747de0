package dev.capuchin.plugin.fastcgi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.capuchin.plugin.fastcgi.internal.FastCgiConnection;
import dev.capuchin.plugin.fastcgi.internal.FastCgiFailure;
import dev.capuchin.plugin.fastcgi.internal.ServerPool;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The pool against a real php-fpm when acquires are cancelled at the racy points: a
 * connection handed to a request that is no longer there goes back to the pool (or
 * closes, when the pool is closed) instead of pinning a php-fpm child for good. Each test
 * ends with php-fpm holding exactly the pool's idle connections, then none once the pool
 * is closed.
 */
class ServerPoolSocketTests {

	@RegisterExtension
	static final PhpFpm php = new PhpFpm();

	private static final IoEventLoopGroup loops = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final ServerPool pool = new ServerPool(FastCgiAddress.parse(php.unixPass()), 1, Duration.ofSeconds(60));

	@AfterEach
	void closePoolLeavingNoConnectionBehind() {
		try {
			Awaitility.await("php-fpm's connections back to the pool's idle ones")
				.atMost(TIMEOUT)
				.untilAsserted(() -> assertThat(php.connections()).isEqualTo(this.pool.status().idle())
					.isEqualTo(this.pool.status().open()));
		}
		finally {
			this.pool.close();
		}
		Awaitility.await("php-fpm's connections closed with the pool")
			.atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(php.connections()).isZero());
		assertThat(this.pool.status().open()).isZero();
	}

	@AfterAll
	static void stopLoops() throws InterruptedException {
		loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
	}

	@Test
	void idleConnectionForAnAcquireCancelledAtOnceStaysInThePool() {
		EventLoop loop = loops.next();
		this.pool.release(this.pool.acquire(loop, TIMEOUT, TIMEOUT).block(TIMEOUT), true);
		assertThat(this.pool.status().idle()).isEqualTo(1);
		this.pool.acquire(loop, TIMEOUT, TIMEOUT).subscribe(new CancelAtOnce());
		assertThat(this.pool.status().inUse()).isZero();
		assertThat(this.pool.status().idle()).isEqualTo(1);
		assertThat(this.pool.status().opened()).isEqualTo(1);
	}

	@Test
	void connectionHandedToAWaiterThatGoesAwayReturnsToThePool() {
		EventLoop loop = loops.next();
		FastCgiConnection held = this.pool.acquire(loop, TIMEOUT, TIMEOUT).block(TIMEOUT);
		Unrequested waiter = new Unrequested();
		this.pool.acquire(loop, TIMEOUT, TIMEOUT).subscribe(waiter);
		assertThat(this.pool.status().waiting()).isEqualTo(1);
		// handed over to the waiter, whose request has not asked for it yet
		this.pool.release(held, true);
		assertThat(this.pool.status().waiting()).isZero();
		assertThat(this.pool.status().inUse()).isEqualTo(1);
		waiter.cancel();
		assertThat(this.pool.status().inUse()).isZero();
		assertThat(this.pool.status().idle()).isEqualTo(1);
		assertThat(this.pool.acquire(loop, TIMEOUT, TIMEOUT).block(TIMEOUT)).isSameAs(held);
		this.pool.release(held, true);
	}

	@Test
	void newConnectionForAnAcquireThatGoesAwayReturnsToThePool() {
		Unrequested acquire = new Unrequested();
		this.pool.acquire(loops.next(), TIMEOUT, TIMEOUT).subscribe(acquire);
		Awaitility.await().atMost(TIMEOUT).until(() -> this.pool.status().opened() == 1);
		acquire.cancel();
		assertThat(this.pool.status().inUse()).isZero();
		assertThat(this.pool.status().idle()).isEqualTo(1);
	}

	@Test
	void slotOfAClosedConnectionGoesToAWaiterThatThenLeaves() {
		EventLoop loop = loops.next();
		FastCgiConnection held = this.pool.acquire(loop, TIMEOUT, TIMEOUT).block(TIMEOUT);
		Unrequested waiter = new Unrequested();
		this.pool.acquire(loop, TIMEOUT, TIMEOUT).subscribe(waiter);
		// the connection closes (as when php-fpm ends it): its slot opens a new one for
		// the
		// waiter, which goes away once it has it
		held.channel().close();
		Awaitility.await().atMost(TIMEOUT).until(() -> this.pool.status().opened() == 2);
		waiter.cancel();
		assertThat(this.pool.status().waiting()).isZero();
		Awaitility.await().atMost(TIMEOUT).untilAsserted(() -> assertThat(this.pool.status().inUse()).isZero());
		assertThat(this.pool.status().idle()).isEqualTo(1);
	}

	@Test
	void slotOfAClosedConnectionSkipsAWaiterThatLeft() {
		EventLoop loop = loops.next();
		FastCgiConnection held = this.pool.acquire(loop, TIMEOUT, TIMEOUT).block(TIMEOUT);
		Unrequested waiter = new Unrequested();
		this.pool.acquire(loop, TIMEOUT, TIMEOUT).subscribe(waiter);
		waiter.cancel();
		held.channel().close();
		Awaitility.await().atMost(TIMEOUT).untilAsserted(() -> assertThat(this.pool.status().open()).isZero());
		assertThat(this.pool.status().opened()).isEqualTo(1);
		assertThat(this.pool.status().waiting()).isZero();
	}

	@Test
	void connectionThatComesBackAfterThePoolClosedIsClosed() {
		EventLoop loop = loops.next();
		FastCgiConnection held = this.pool.acquire(loop, TIMEOUT, TIMEOUT).block(TIMEOUT);
		Unrequested waiter = new Unrequested();
		this.pool.acquire(loop, TIMEOUT, TIMEOUT).subscribe(waiter);
		this.pool.release(held, true);
		this.pool.close();
		waiter.cancel();
		Awaitility.await().atMost(TIMEOUT).until(() -> !held.channel().isOpen() && this.pool.status().open() == 0);
		assertThat(this.pool.status().idle()).isZero();
	}

	@Test
	void acquireFromAClosedPoolFailsAtOnce() {
		this.pool.close();
		assertThatThrownBy(() -> this.pool.acquire(loops.next(), TIMEOUT, TIMEOUT).block(TIMEOUT))
			.isInstanceOf(FastCgiFailure.class)
			.hasMessageContaining("stopped");
		assertThat(this.pool.status().open()).isZero();
	}

	@Test
	void acquiresCancelledAtRandomPointsLeaveNoSlotBehind() throws Exception {
		ServerPool wide = new ServerPool(FastCgiAddress.parse(php.unixPass()), 3, Duration.ofSeconds(60));
		try {
			for (int round = 0; round < 200; round++) {
				List<Disposable> acquires = new ArrayList<>();
				for (int i = 0; i < 6; i++) {
					// a request holds its connection a little, and closes it when it goes
					// away meanwhile, as an aborted call does
					acquires.add(wide.acquire(loops.next(), TIMEOUT, TIMEOUT)
						.flatMap((connection) -> Mono.delay(Duration.ofNanos(jitter()))
							.doFinally((signal) -> wide.release(connection, signal == SignalType.ON_COMPLETE)))
						.subscribe(null, (ex) -> {
						}));
				}
				// some go away while waiting, while being handed a connection, or holding
				// one
				LockSupport.parkNanos(jitter());
				for (Disposable acquire : acquires) {
					if (ThreadLocalRandom.current().nextBoolean()) {
						acquire.dispose();
					}
				}
			}
			Awaitility.await("every slot back")
				.atMost(TIMEOUT)
				.untilAsserted(() -> assertThat(wide.status().inUse()).isZero());
			assertThat(wide.status().waiting()).isZero();
			assertThat(wide.status().open()).isEqualTo(wide.status().idle()).isLessThanOrEqualTo(3);
			Awaitility.await()
				.atMost(TIMEOUT)
				.untilAsserted(() -> assertThat(php.connections()).isEqualTo(wide.status().idle()));
		}
		finally {
			wide.close();
		}
	}

	private static long jitter() {
		return ThreadLocalRandom.current().nextLong(200_000);
	}

	/** Cancels as soon as it subscribes, before the connection arrives. */
	private static final class CancelAtOnce extends BaseSubscriber<FastCgiConnection> {

		@Override
		protected void hookOnSubscribe(Subscription subscription) {
			cancel();
		}

	}

	/** Subscribes without asking for the connection, so that it waits in the sink. */
	private static final class Unrequested extends BaseSubscriber<FastCgiConnection> {

		@Override
		protected void hookOnSubscribe(Subscription subscription) {
		}

	}

}
