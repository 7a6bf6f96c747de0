package dev.capuchin.plugin.cgi.internal;

import java.util.Locale;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

/**
 * How the JDK starts each script's process, as the system property
 * {@code jdk.lang.Process.launchMechanism} chooses it. It decides what a script costs
 * before its first instruction runs, so the plugin logs it once at start: measured under
 * load on a hello-world shell script, {@link #POSIX_SPAWN} cost about a quarter more CPU
 * per request in the script's process than {@link #VFORK}.
 */
public enum LaunchMechanism {

	/**
	 * {@code posix_spawn(3)} of the JDK's {@code jspawnhelper}, which then executes the
	 * script: two program loads per script. The JDK's default on Linux.
	 */
	POSIX_SPAWN,

	/**
	 * {@code vfork(2)} and the script executed at once: one program load per script.
	 * Deprecated in JDK 25 and removed after it; {@code bin/capuchin} sets it on JDK 17
	 * to 24 only.
	 */
	VFORK,

	/** {@code fork(2)}: copies the JVM's page tables for every script, the dearest. */
	FORK;

	/** The JDK's system property that chooses the mechanism. */
	public static final String PROPERTY = "jdk.lang.Process.launchMechanism";

	/**
	 * The mechanism a property value names.
	 * @param value the property's value, or {@code null} when unset
	 * @return the mechanism; {@link #POSIX_SPAWN} when unset; {@code null} for a value
	 * the JDK does not know
	 */
	public static @Nullable LaunchMechanism of(@Nullable String value) {
		if (value == null || value.isBlank()) {
			return POSIX_SPAWN;
		}
		try {
			return valueOf(value.strip().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	/**
	 * The line the plugin logs at start.
	 * @param properties the system properties ({@code System::getProperty})
	 * @return the line
	 */
	public static String startLine(UnaryOperator<String> properties) {
		String value = properties.apply(PROPERTY);
		LaunchMechanism mechanism = of(value);
		if (mechanism == null) {
			return "cgi: scripts start with launch mechanism '" + value + "' (" + PROPERTY
					+ "; expected: one of POSIX_SPAWN, VFORK, FORK)";
		}
		String chosen = "cgi: scripts start with the " + mechanism + " launch mechanism ("
				+ ((value == null) ? "the JDK's default" : PROPERTY + "=" + value) + ")";
		return switch (mechanism) {
			case POSIX_SPAWN -> chosen + ": each script also loads jspawnhelper; -D" + PROPERTY
					+ "=VFORK (JDK 17 to 24, set by bin/capuchin) saves that load";
			case VFORK -> chosen + ": each script is executed directly";
			case FORK -> chosen + ": each script copies the JVM's page tables; POSIX_SPAWN or VFORK cost less";
		};
	}

}
