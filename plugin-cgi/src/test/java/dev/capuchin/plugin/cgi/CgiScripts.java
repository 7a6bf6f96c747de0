package dev.capuchin.plugin.cgi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Real scripts for the socket tests, and what {@code /proc} says about processes.
 */
final class CgiScripts {

	private CgiScripts() {
	}

	/** Write an executable script. */
	static Path executable(Path root, String path, String content) throws IOException {
		Path file = plain(root, path, content);
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
		return file;
	}

	/** Write a plain, non-executable file. */
	static Path plain(Path root, String path, String content) throws IOException {
		Path file = root.resolve(path.substring(1));
		Files.createDirectories(file.getParent());
		Files.writeString(file, content, StandardCharsets.UTF_8);
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
		return file;
	}

	/** Whether a process exists and is not a zombie. */
	static boolean isRunning(long pid) {
		String state = state(pid);
		return state != null && !state.startsWith("Z");
	}

	/** The State line of a process ("S (sleeping)"), or null when there is none. */
	static String state(long pid) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
				if (line.startsWith("State:")) {
					return line.substring(6).trim();
				}
			}
			return null;
		}
		catch (NoSuchFileException ex) {
			return null;
		}
		catch (IOException ex) {
			return null;
		}
	}

	/** The pids of zombie children of this JVM. */
	static List<Long> zombieChildren() throws IOException {
		String self = Long.toString(ProcessHandle.current().pid());
		List<Long> zombies = new ArrayList<>();
		try (var entries = Files.list(Path.of("/proc"))) {
			for (Path entry : entries.toList()) {
				String name = entry.getFileName().toString();
				if (!name.chars().allMatch(Character::isDigit)) {
					continue;
				}
				Map<String, String> status = status(entry.resolve("status"));
				if (self.equals(status.get("PPid")) && status.getOrDefault("State", "").startsWith("Z")) {
					zombies.add(Long.parseLong(name));
				}
			}
		}
		return zombies;
	}

	private static Map<String, String> status(Path file) {
		try {
			Map<String, String> status = new java.util.HashMap<>();
			for (String line : Files.readAllLines(file)) {
				int colon = line.indexOf(':');
				if (colon > 0) {
					status.put(line.substring(0, colon), line.substring(colon + 1).trim());
				}
			}
			return status;
		}
		catch (IOException ex) {
			return Map.of();
		}
	}

	/** Read a pid a script wrote to a file, once it is there. */
	static long pid(Path file) throws IOException {
		return Long.parseLong(Files.readString(file).trim());
	}

}
