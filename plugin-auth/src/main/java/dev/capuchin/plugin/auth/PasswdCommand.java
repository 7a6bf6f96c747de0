package dev.capuchin.plugin.auth;

import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import dev.capuchin.core.spi.StrictUtf8;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * {@code java -jar capuchin.jar passwd FILE USER [--password-stdin]}: create or update a
 * user of a users file with a bcrypt hash ({@code $2y$}, cost {@value #COST}, as htpasswd
 * {@code -B} writes it). The password is asked twice on the console without echo, or read
 * as one line from standard input with {@code --password-stdin}.
 * <p>
 * The file is rewritten whole through a temporary file in the same directory and an
 * atomic move, so the server never reads half of it; a new file gets mode 0600, an
 * existing one keeps its mode (and, where allowed, owner and group). Other lines,
 * comments included, stay as they are.
 */
public final class PasswdCommand {

	/**
	 * The bcrypt cost of new hashes: about a quarter second per check on a 2020s core.
	 */
	public static final int COST = 12;

	/** bcrypt reads the first 72 bytes of a password; longer ones are refused. */
	public static final int MAX_PASSWORD_BYTES = 72;

	private static final String USAGE = "usage: java -jar capuchin.jar passwd FILE USER [--password-stdin]";

	private static final Set<PosixFilePermission> NEW_FILE_MODE = PosixFilePermissions.fromString("rw-------");

	/**
	 * Run the command.
	 * @param args the arguments after {@code passwd}
	 * @param in standard input, read with {@code --password-stdin}
	 * @param out where the outcome is printed
	 * @param err where errors are printed
	 * @param console the console to prompt on, or {@code null} when there is none
	 * @return the exit status: 0 done, 1 failed, 2 usage error
	 */
	public int run(String[] args, InputStream in, PrintStream out, PrintStream err, Console console) {
		List<String> positional = new ArrayList<>();
		boolean fromStdin = false;
		for (String arg : args) {
			if (arg.equals("--password-stdin")) {
				fromStdin = true;
			}
			else if (arg.startsWith("-") && !arg.equals("-")) {
				err.println("unknown option " + arg);
				err.println(USAGE);
				return 2;
			}
			else {
				positional.add(arg);
			}
		}
		if (positional.size() != 2) {
			err.println(USAGE);
			return 2;
		}
		Path file = Path.of(positional.get(0));
		String user = positional.get(1);
		String problem = UsersFile.userProblem(user);
		if (problem != null) {
			err.println("refused: " + problem);
			return 1;
		}
		try {
			String password = fromStdin ? readLine(in) : prompt(console, user);
			problem = passwordProblem(password);
			if (problem != null) {
				err.println("refused: " + problem);
				return 1;
			}
			String hash = new BCryptPasswordEncoder(BCryptPasswordEncoder.BCryptVersion.$2Y, COST).encode(password);
			boolean created = !Files.exists(file);
			boolean updated = write(file, user, hash);
			out.println((created ? "Created " + file + " with user " + user
					: (updated ? "Updated user " + user + " in " : "Added user " + user + " to ") + file));
			return 0;
		}
		catch (IllegalStateException ex) {
			err.println("error: " + ex.getMessage());
			return 1;
		}
		catch (IOException ex) {
			err.println("error: " + file + ": " + ex);
			return 1;
		}
	}

	/**
	 * What is wrong with a new password, or {@code null} when it may be used.
	 * @param password the password
	 * @return the problem, or {@code null}
	 */
	static String passwordProblem(String password) {
		if (password.isEmpty()) {
			return "empty password";
		}
		if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
			return "password longer than " + MAX_PASSWORD_BYTES + " bytes (bcrypt would ignore the rest)";
		}
		for (int i = 0; i < password.length(); i++) {
			if (Character.isISOControl(password.charAt(i))) {
				return "password contains a control character (HTTP Basic cannot send it)";
			}
		}
		return null;
	}

	private static String prompt(Console console, String user) {
		if (console == null) {
			throw new IllegalStateException("no console to ask for the password on; use --password-stdin");
		}
		char[] first = console.readPassword("New password for %s: ", user);
		char[] second = (first != null) ? console.readPassword("Re-type new password: ") : null;
		try {
			if (first == null || second == null) {
				throw new IllegalStateException("no password entered");
			}
			if (!Arrays.equals(first, second)) {
				throw new IllegalStateException("passwords do not match");
			}
			return new String(first);
		}
		finally {
			if (first != null) {
				Arrays.fill(first, '\0');
			}
			if (second != null) {
				Arrays.fill(second, '\0');
			}
		}
	}

	/**
	 * One line of UTF-8 from standard input, without its line end.
	 */
	private static String readLine(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int c;
		boolean any = false;
		while ((c = in.read()) != -1) {
			any = true;
			if (c == '\n') {
				break;
			}
			if (line.size() > 4096) {
				throw new IllegalStateException("the line on standard input is too long for a password");
			}
			line.write(c);
		}
		if (!any) {
			throw new IllegalStateException("no password on standard input");
		}
		byte[] bytes = line.toByteArray();
		int length = (bytes.length > 0 && bytes[bytes.length - 1] == '\r') ? bytes.length - 1 : bytes.length;
		try {
			return StrictUtf8.decode(bytes, 0, length);
		}
		catch (CharacterCodingException ex) {
			throw new IllegalStateException("the password on standard input is not UTF-8");
		}
	}

	/**
	 * Replace the user's line (dropping any later duplicate) or append one, and write the
	 * file atomically.
	 * @return whether the user was there before
	 */
	private static boolean write(Path file, String user, String hash) throws IOException {
		boolean exists = Files.exists(file);
		Path target = exists ? file.toRealPath() : file.toAbsolutePath();
		List<String> lines = exists ? new ArrayList<>(Files.readAllLines(target, StandardCharsets.UTF_8))
				: new ArrayList<>();
		String entry = user + ":" + hash;
		boolean found = false;
		for (int i = 0; i < lines.size(); i++) {
			String line = lines.get(i);
			if (!line.strip().startsWith("#") && line.startsWith(user + ":")) {
				if (found) {
					lines.remove(i--);
				}
				else {
					lines.set(i, entry);
					found = true;
				}
			}
		}
		if (!found) {
			lines.add(entry);
		}
		byte[] bytes = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
		Path directory = target.getParent();
		PosixFileAttributes existing = exists ? posixAttributes(target) : null;
		Set<PosixFilePermission> mode = (existing != null) ? existing.permissions() : NEW_FILE_MODE;
		Path temp = createTemp(directory, target.getFileName().toString(), mode);
		try {
			try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
					StandardOpenOption.TRUNCATE_EXISTING)) {
				ByteBuffer buffer = ByteBuffer.wrap(bytes);
				while (buffer.hasRemaining()) {
					channel.write(buffer);
				}
				channel.force(true);
			}
			if (existing != null) {
				keepOwnership(temp, existing);
			}
			try {
				Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			}
			catch (AtomicMoveNotSupportedException ex) {
				Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
			}
		}
		finally {
			Files.deleteIfExists(temp);
		}
		return found;
	}

	private static Path createTemp(Path directory, String name, Set<PosixFilePermission> mode) throws IOException {
		FileAttribute<Set<PosixFilePermission>> permissions = PosixFilePermissions.asFileAttribute(mode);
		try {
			Path temp = Files.createTempFile(directory, "." + name + ".", ".tmp", permissions);
			// the umask may have narrowed the mode asked for at creation
			Files.setPosixFilePermissions(temp, mode);
			return temp;
		}
		catch (UnsupportedOperationException ex) {
			return Files.createTempFile(directory, "." + name + ".", ".tmp");
		}
	}

	private static PosixFileAttributes posixAttributes(Path file) throws IOException {
		try {
			return Files.readAttributes(file, PosixFileAttributes.class);
		}
		catch (UnsupportedOperationException ex) {
			return null;
		}
	}

	private static void keepOwnership(Path temp, PosixFileAttributes existing) {
		PosixFileAttributeView view = Files.getFileAttributeView(temp, PosixFileAttributeView.class);
		try {
			if (!existing.owner().equals(Files.getOwner(temp))) {
				view.setOwner(existing.owner());
			}
			view.setGroup(existing.group());
		}
		catch (IOException | SecurityException ex) {
			// not permitted for this user: the file keeps the writer's owner and group
		}
	}

}
