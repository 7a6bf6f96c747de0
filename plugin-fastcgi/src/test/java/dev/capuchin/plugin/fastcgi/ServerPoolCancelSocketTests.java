package dev.capuchin.plugin.fastcgi;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.capuchin.plugin.fastcgi.internal.FastCgiConnection;
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
import reactor.core.publisher.BaseSubscriber;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pool against a real php-fpm when acquires are cancelled at the racy points: a
 * connection handed to a request that is no longer there goes back to the pool instead of
 * pinning a php-fpm child for good.
 */
class ServerPoolCancelSocketTests {

	@RegisterExtension
	static final PhpFpm php = new PhpFpm();

	private static final IoEventLoopGroup loops = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final ServerPool pool = new ServerPool(FastCgiAddress.parse(php.unixPass()), 1, Duration.ofSeconds(60));

	@AfterEach
	void closePool() {
		this.pool.close();
		Awaitility.await().atMost(TIMEOUT).until(() -> this.pool.status().open() == 0);
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
		this.pool.acquire(loop, TIMEOUT, TIMEOUT).subscribe(new BaseSubscriber<FastCgiConnection>() {
			@Override
			protected void hookOnSubscribe(Subscription subscription) {
				// the request went away before its connection arrived
				cancel();
			}
		});
		assertThat(this.pool.status().inUse()).isZero();
		assertThat(this.pool.status().idle()).isEqualTo(1);
		assertThat(this.pool.status().opened()).isEqualTo(1);
	}

}
