package dev.capuchin.app.status;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.capuchin.app.TestApplication;
import dev.capuchin.core.internal.server.CapuchinServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The metric names that docs/packaging.md lists and the Grafana dashboard charts exist in
 * a running node's registry, once it has answered requests.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MetricNamesTests {

	private static final Path REPOSITORY = Path.of("..");

	@TempDir
	static Path temp;

	@Autowired
	CapuchinServer server;

	@Autowired
	MeterRegistry registry;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws IOException {
		Path root = Files.createDirectories(temp.resolve("root"));
		Files.writeString(root.resolve("index.html"), "metrics");
		TestApplication.register(registry, TestApplication.defaultSite(temp, root, ""), 1, "metrics-password");
	}

	@Test
	void everyMetricTheDocsListExists() throws Exception {
		answerTwice();
		Set<String> names = matches(REPOSITORY.resolve("docs/packaging.md"),
				Pattern.compile("^\\| `(capuchin(?:\\.[a-z]+)+)` \\|", Pattern.MULTILINE));
		assertThat(names).contains("capuchin.requests", "capuchin.connections", "capuchin.fdt.hits");
		assertThat(names).allSatisfy((name) -> assertThat(this.registry.find(name).meters()).as(name).isNotEmpty());
	}

	@Test
	void everyMetricTheDashboardChartsExists() throws Exception {
		answerTwice();
		Set<String> names = new TreeSet<>();
		for (String prometheus : matches(REPOSITORY.resolve("packaging/grafana-capuchin.json"),
				Pattern.compile("\\b((?:capuchin|jvm)_[a-z_]+)\\b"))) {
			names.add(prometheus.replaceFirst("_(total|bytes)$", "").replace('_', '.'));
		}
		assertThat(names).contains("capuchin.requests", "capuchin.fdt.misses");
		assertThat(names).allSatisfy((name) -> assertThat(this.registry.find(name).meters()).as(name).isNotEmpty());
	}

	@Test
	void requestsAreCountedBySiteAndStatus() throws Exception {
		answerTwice();
		assertThat(this.registry.find("capuchin.requests").tags("site", "default", "status", "200").counter())
			.satisfies((counter) -> assertThat(counter.count()).isGreaterThanOrEqualTo(1));
		assertThat(this.registry.find("capuchin.requests").tags("site", "default", "status", "404").counter())
			.satisfies((counter) -> assertThat(counter.count()).isGreaterThanOrEqualTo(1));
	}

	private void answerTwice() throws Exception {
		int port = this.server.boundAddresses().get(0).getPort();
		HttpClient http = HttpClient.newHttpClient();
		for (String path : new String[] { "/", "/missing" }) {
			http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
					HttpResponse.BodyHandlers.discarding());
		}
	}

	private static Set<String> matches(Path file, Pattern pattern) throws IOException {
		Set<String> names = new TreeSet<>();
		Matcher matcher = pattern.matcher(Files.readString(file));
		while (matcher.find()) {
			names.add(matcher.group(1));
		}
		return names;
	}

}
