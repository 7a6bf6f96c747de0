package dev.capuchin.app.shared.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.capuchin.app.transfer.ConfigDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last configuration the data plane applied, kept on disk
 * ({@code capuchin.store.snapshot}, {@code data/last-configuration.yml} by default) so
 * that a node whose store cannot be reached at start serves it instead of nothing.
 * Written after every applied version as a configuration document (what export writes,
 * OAuth clients left out), to a temporary file first and then moved over the old one, so
 * a crash leaves the old snapshot or the new one, never half of one. It holds realm
 * users' password hashes and encrypted secrets: only its owner may read it.
 */
public final class SnapshotFile {

	private static final Logger logger = LoggerFactory.getLogger(SnapshotFile.class);

	private static final Pattern VERSION = Pattern.compile("^version: (\\d+)$", Pattern.MULTILINE);

	private final Path file;

	private volatile boolean failing;

	/**
	 * A snapshot file.
	 * @param file where it lives, or {@code null} for none
	 */
	public SnapshotFile(Path file) {
		this.file = file;
	}

	/**
	 * No snapshot: nothing is written, nothing can be read.
	 * @return the absent snapshot
	 */
	public static SnapshotFile none() {
		return new SnapshotFile(null);
	}

	/**
	 * Where the snapshot lives.
	 * @return the path, or empty for none
	 */
	public Optional<Path> path() {
		return Optional.ofNullable(this.file);
	}

	/**
	 * Write the configuration now applied; a failure is logged (once until a write works
	 * again), never thrown: the change it records is stored already.
	 * @param applied the applied configuration
	 */
	public synchronized void save(ConfigService.Snapshot applied) {
		if (this.file == null) {
			return;
		}
		ConfigService.Snapshot withoutClients = new ConfigService.Snapshot(applied.version(), applied.entries(),
				applied.realms(), applied.upstreams(), null, applied.openidLogins());
		Path temporary = this.file.resolveSibling(this.file.getFileName() + ".tmp");
		try {
			Path parent = this.file.toAbsolutePath().getParent();
			if (parent != null) {
				Files.createDirectories(parent);
			}
			Files.deleteIfExists(temporary);
			Files.createFile(temporary,
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
			Files.writeString(temporary, ConfigDocument.write(withoutClients), StandardCharsets.UTF_8,
					StandardOpenOption.WRITE, StandardOpenOption.SYNC);
			try {
				Files.move(temporary, this.file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			}
			catch (AtomicMoveNotSupportedException ex) {
				Files.move(temporary, this.file, StandardCopyOption.REPLACE_EXISTING);
			}
			if (this.failing) {
				this.failing = false;
				logger.info("Configuration snapshot {} is written again", this.file);
			}
		}
		catch (IOException | RuntimeException ex) {
			if (!this.failing) {
				this.failing = true;
				logger.warn("Cannot write the configuration snapshot {}: {}; a start without the store would serve "
						+ "an older configuration", this.file, ex.toString());
			}
		}
	}

	/**
	 * Read the snapshot.
	 * @param base the directory relative paths are resolved against
	 * @return the configuration document it holds, or empty when there is none
	 * @throws InvalidConfigurationException when it cannot be read as a document
	 */
	public Optional<Saved> load(Path base) {
		if (this.file == null || !Files.isRegularFile(this.file)) {
			return Optional.empty();
		}
		try {
			String text = Files.readString(this.file, StandardCharsets.UTF_8);
			Matcher version = VERSION.matcher(text);
			return Optional.of(new Saved(ConfigDocument.readDocument(text, base),
					version.find() ? Long.parseLong(version.group(1)) : 0,
					Files.getLastModifiedTime(this.file).toInstant()));
		}
		catch (IOException ex) {
			throw new InvalidConfigurationException("snapshot " + this.file + ": " + ex);
		}
	}

	/**
	 * A snapshot read back.
	 *
	 * @param document its configuration
	 * @param version the configuration version it was
	 * @param savedAt when it was written
	 */
	public record Saved(ConfigDocument.Document document, long version, Instant savedAt) {
	}

}
