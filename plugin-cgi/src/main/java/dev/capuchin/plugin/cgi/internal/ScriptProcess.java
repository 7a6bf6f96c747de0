package dev.capuchin.plugin.cgi.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import dev.capuchin.plugin.cgi.CgiLocation.RunAs;
import org.jspecify.annotations.Nullable;

/**
 * One running script: started in a session and process group of its own, so that the
 * whole group (the script and every child it forked) can be killed at once.
 * <p>
 * Java cannot make a process group or signal one. The script is therefore started through
 * util-linux's {@code setsid} (a program, not a shell: it calls {@code setsid(2)} and
 * executes the script in place, so the script's pid is its group's id), and the group is
 * killed with {@code kill -KILL -- -pgid}. Children that left the group still show as
 * descendants and are killed one by one. Where {@code setsid} is missing, only the
 * descendants are killed. Switching users goes through util-linux's {@code setpriv} the
 * same way. The script's own exit is reaped by the JDK; children killed with the group
 * are reparented to init, which reaps them.
 */
public final class ScriptProcess {

	private static final int MAX_STDERR_LINE = 4096;

	private final Process process;

	private final @Nullable Path kill;

	private final AtomicBoolean killed = new AtomicBoolean();

	private volatile @Nullable String lastError;

	private ScriptProcess(Process process, @Nullable Path kill) {
		this.process = process;
		this.kill = kill;
	}

	/**
	 * The programs this class runs scripts through.
	 *
	 * @param setsid util-linux's {@code setsid}, or {@code null} when missing
	 * @param setpriv util-linux's {@code setpriv}, or {@code null} when missing
	 * @param kill {@code kill}, or {@code null} when missing
	 */
	public record Tools(@Nullable Path setsid, @Nullable Path setpriv, @Nullable Path kill) {

		/**
		 * Find the programs in {@code /usr/bin} and {@code /bin}.
		 * @return the tools found
		 */
		public static Tools find() {
			return new Tools(find("setsid"), find("setpriv"), find("kill"));
		}

		private static @Nullable Path find(String name) {
			for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
				Path path = Path.of(dir, name);
				if (Files.isExecutable(path)) {
					return path;
				}
			}
			return null;
		}

	}

	/**
	 * Start a script. Blocks for the {@code fork}/{@code exec}: call it off the event
	 * loops.
	 * @param tools the helper programs
	 * @param script the script
	 * @param user the user to run it as, or {@code null}
	 * @param env its whole environment
	 * @return the running script
	 * @throws IOException when it cannot be started
	 */
	public static ScriptProcess start(Tools tools, Script script, @Nullable RunAs user, Map<String, String> env)
			throws IOException {
		List<String> command = new ArrayList<>();
		if (tools.setsid() != null) {
			command.add(tools.setsid().toString());
		}
		if (user != null) {
			if (tools.setpriv() == null) {
				throw new IOException("setpriv (util-linux) is missing: cannot run as user " + user.name());
			}
			command.add(tools.setpriv().toString());
			command.add("--reuid=" + user.uid());
			command.add("--regid=" + user.gid());
			command.add("--clear-groups");
			command.add("--");
		}
		if (script.interpreter() != null) {
			command.add(script.interpreter().toString());
		}
		command.add(script.file().toString());
		ProcessBuilder builder = new ProcessBuilder(command).directory(script.file().getParent().toFile());
		Map<String, String> environment = builder.environment();
		environment.clear();
		environment.putAll(env);
		return new ScriptProcess(builder.start(), tools.kill());
	}

	/**
	 * The process.
	 * @return the process
	 */
	public Process process() {
		return this.process;
	}

	/**
	 * The script's pid (its process group's id too).
	 * @return the pid
	 */
	public long pid() {
		return this.process.pid();
	}

	/**
	 * The last line the script wrote to stderr, for the error log's reason.
	 * @return the line, or {@code null}
	 */
	public @Nullable String lastError() {
		return this.lastError;
	}

	/**
	 * Read the script's stderr to its end on an executor thread, handing each line (cut
	 * at 4 KiB) to a consumer; the script never blocks on a full stderr pipe.
	 * @param executor where the reading runs
	 * @param lines the consumer of lines
	 */
	public void pumpStderr(Executor executor, Consumer<String> lines) {
		executor.execute(() -> {
			try (InputStream in = new BufferedInputStream(this.process.getErrorStream(), 8192)) {
				byte[] line = new byte[MAX_STDERR_LINE];
				int length = 0;
				int c;
				while ((c = in.read()) >= 0) {
					if (c == '\n') {
						emit(line, length, lines);
						length = 0;
					}
					else if (length < line.length) {
						line[length++] = (byte) c;
					}
				}
				if (length > 0) {
					emit(line, length, lines);
				}
			}
			catch (IOException ex) {
				// the pipe closed with the process: nothing more to read
			}
		});
	}

	private void emit(byte[] line, int length, Consumer<String> lines) {
		int end = (length > 0 && line[length - 1] == '\r') ? length - 1 : length;
		String text = new String(line, 0, end, StandardCharsets.UTF_8);
		this.lastError = text;
		lines.accept(text);
	}

	/**
	 * Whether {@link #killGroup()} ran.
	 * @return {@code true} once killed
	 */
	public boolean killed() {
		return this.killed.get();
	}

	/**
	 * Kill the script's process group and every descendant with {@code SIGKILL}, once.
	 * Blocks briefly for {@code kill}: call it off the event loops.
	 */
	public void killGroup() {
		if (!this.killed.compareAndSet(false, true)) {
			return;
		}
		// taken before the group dies: a child that left the group is still a descendant
		List<ProcessHandle> descendants = this.process.descendants().toList();
		// a leader that is gone with no descendants left has no group to kill, and its
		// pid may belong to another process by now
		if (this.kill != null && (this.process.isAlive() || !descendants.isEmpty())) {
			try {
				Process killer = new ProcessBuilder(this.kill.toString(), "-KILL", "--", "-" + this.process.pid())
					.redirectErrorStream(true)
					.redirectOutput(ProcessBuilder.Redirect.DISCARD)
					.start();
				if (!killer.waitFor(5, TimeUnit.SECONDS)) {
					killer.destroyForcibly();
				}
			}
			catch (IOException ex) {
				// fall back to the descendants below
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		descendants.forEach(ProcessHandle::destroyForcibly);
		this.process.destroyForcibly();
		closeQuietly();
	}

	/** Close our ends of the pipes, so that threads blocked on them return. */
	public void closeQuietly() {
		try {
			this.process.getOutputStream().close();
		}
		catch (IOException ex) {
			// already closed
		}
	}

}
