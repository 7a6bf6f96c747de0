package io.netty.util.concurrent;

/**
 * Counts the tasks scheduled on an event loop, for tests that must show that a finished
 * request left none behind. It sits in Netty's package because the queue is visible only
 * there; it reads the queue on the loop itself.
 */
public final class ScheduledTaskCount {

	private ScheduledTaskCount() {
	}

	/**
	 * The tasks scheduled on a loop and not yet run or cancelled.
	 * @param loop an event loop of Netty's
	 * @return how many
	 * @throws Exception when the loop cannot answer
	 */
	public static int of(EventExecutor loop) throws Exception {
		AbstractScheduledEventExecutor executor = (AbstractScheduledEventExecutor) loop;
		return loop.submit(() -> (executor.scheduledTaskQueue == null) ? 0 : executor.scheduledTaskQueue.size()).get();
	}

}
