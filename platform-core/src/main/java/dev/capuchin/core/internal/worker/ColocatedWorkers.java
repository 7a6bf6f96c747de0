package dev.capuchin.core.internal.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.util.concurrent.AbstractEventExecutorGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import reactor.core.publisher.Mono;
import reactor.netty.resources.LoopResources;

/**
 * The workers' loops as a client's event-loop group: {@link #next()} is the calling
 * worker's own loop, so a connection a worker opens stays on it, and a caller off the
 * workers gets them in rotation from a counter of its own. It never consults the workers'
 * {@link LeastLoadedChooserFactory chooser}, which counts a connection on each call, so
 * client connections do not skew the accepted-connection counts.
 */
final class ColocatedWorkers extends AbstractEventExecutorGroup implements IoEventLoopGroup {

	private final IoEventLoop[] loops;

	private final List<EventExecutor> executors;

	private final Future<?> termination;

	private final AtomicInteger rotation = new AtomicInteger();

	ColocatedWorkers(List<Worker> workers, Future<?> termination) {
		this.loops = workers.stream().map((worker) -> (IoEventLoop) worker.executor()).toArray(IoEventLoop[]::new);
		this.executors = new ArrayList<>(workers.stream().map(Worker::executor).toList());
		this.termination = termination;
	}

	@Override
	public IoEventLoop next() {
		for (IoEventLoop loop : this.loops) {
			if (loop.inEventLoop()) {
				return loop;
			}
		}
		return this.loops[Math.floorMod(this.rotation.getAndIncrement(), this.loops.length)];
	}

	@Override
	public Iterator<EventExecutor> iterator() {
		return this.executors.iterator();
	}

	@Override
	public boolean isCompatible(Class<? extends IoHandle> handleType) {
		return this.loops[0].isCompatible(handleType);
	}

	@Override
	public boolean isIoType(Class<? extends IoHandler> handlerType) {
		return this.loops[0].isIoType(handlerType);
	}

	@Override
	public ChannelFuture register(Channel channel) {
		return next().register(channel);
	}

	@Override
	public ChannelFuture register(ChannelPromise promise) {
		return next().register(promise);
	}

	@Override
	@Deprecated
	public ChannelFuture register(Channel channel, ChannelPromise promise) {
		return next().register(channel, promise);
	}

	// the kernel owns the loops: a client's resources must not shut them down

	@Override
	public boolean isShuttingDown() {
		return this.loops[0].isShuttingDown();
	}

	@Override
	public Future<?> shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) {
		return this.termination;
	}

	@Override
	public Future<?> terminationFuture() {
		return this.termination;
	}

	@Override
	@Deprecated
	public void shutdown() {
	}

	@Override
	public boolean isShutdown() {
		return this.loops[0].isShutdown();
	}

	@Override
	public boolean isTerminated() {
		return this.loops[0].isTerminated();
	}

	@Override
	public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
		return this.loops[0].awaitTermination(timeout, unit);
	}

	/**
	 * Loop resources that hand clients these loops and dispose of nothing.
	 */
	record ClientLoops(EventLoopGroup group) implements LoopResources {

		@Override
		public EventLoopGroup onServer(boolean useNative) {
			throw new UnsupportedOperationException("the workers' client loops serve clients only");
		}

		@Override
		public EventLoopGroup onClient(boolean useNative) {
			return this.group;
		}

		@Override
		public Mono<Void> disposeLater(Duration quietPeriod, Duration timeout) {
			return Mono.empty();
		}

		@Override
		public boolean daemon() {
			return true;
		}

	}

}
