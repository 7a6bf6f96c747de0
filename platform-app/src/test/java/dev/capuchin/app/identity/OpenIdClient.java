package dev.capuchin.app.identity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The npm library {@code openid-client} run through Node ({@code src/test/node}): its
 * dependencies installed once with {@code npm ci} from the committed lock file, then one
 * {@code node flows.mjs <flow>} per flow. Tests using it are skipped, saying why, only
 * when {@code node} is not installed.
 */
final class OpenIdClient {

	private static final Path DIRECTORY = Path.of("src/test/node").toAbsolutePath();

	private static boolean installed;

	private OpenIdClient() {
	}

	/**
	 * Run a flow.
	 * @param flow the flow's name in {@code flows.mjs}
	 * @param environment {@code ISSUER}, {@code CLIENT_ID}, {@code CLIENT_SECRET} and the
	 * flow's own values
	 * @return what the flow printed
	 */
	@SuppressWarnings("unchecked")
	static Map<String, Object> run(String flow, Map<String, String> environment) throws Exception {
		install();
		String output = exec(List.of("node", "flows.mjs", flow), environment, 120);
		return JsonMapper.shared().readValue(output, Map.class);
	}

	private static synchronized void install() throws Exception {
		assumeTrue(onPath("node") && onPath("npm"),
				"node and npm are not installed: the openid-client flows are skipped (.ci/run installs them)");
		if (!installed) {
			exec(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), 300);
			installed = true;
		}
	}

	private static String exec(List<String> command, Map<String, String> environment, int seconds)
			throws IOException, InterruptedException {
		Path output = Files.createTempFile("capuchin-node-", ".out");
		Path errors = Files.createTempFile("capuchin-node-", ".err");
		try {
			ProcessBuilder builder = new ProcessBuilder(command).directory(DIRECTORY.toFile())
				.redirectOutput(output.toFile())
				.redirectError(errors.toFile());
			builder.environment().putAll(environment);
			Process process = builder.start();
			boolean finished = process.waitFor(seconds, TimeUnit.SECONDS);
			if (!finished) {
				process.destroyForcibly();
			}
			String err = Files.readString(errors, StandardCharsets.UTF_8);
			assertThat(finished).as("%s did not finish within %ds: %s", command, seconds, err).isTrue();
			assertThat(process.exitValue()).as("%s: %s", command, err).isZero();
			return Files.readString(output, StandardCharsets.UTF_8);
		}
		finally {
			Files.deleteIfExists(output);
			Files.deleteIfExists(errors);
		}
	}

	private static boolean onPath(String program) {
		String path = System.getenv("PATH");
		if (path == null) {
			return false;
		}
		for (String directory : path.split(java.io.File.pathSeparator)) {
			if (Files.isExecutable(Path.of(directory, program))) {
				return true;
			}
		}
		return false;
	}

}
