package dev.capuchin.plugin.dirlisting.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Unit tests for {@link Theme}.
 */
class ThemeTests {

	@TempDir
	Path temp;

	@Test
	void defaultThemeIsBuiltIn() {
		Theme theme = Theme.builtIn("default");
		assertThat(theme).isNotNull();
		for (Theme.Part part : Theme.Part.values()) {
			assertThat(theme.part(part)).as(part.file()).isNotNull();
		}
		assertThat(theme.part(Theme.Part.ENTRY).placeholders()).contains("href", "label", "size", "modified");
	}

	@Test
	void defaultThemeIsSemanticResponsiveAndSelfContained() {
		StringBuilder page = new StringBuilder();
		Theme theme = Theme.builtIn("default");
		theme.part(Theme.Part.HEADER).render((name) -> "x", page);
		theme.part(Theme.Part.FOOTER).render((name) -> "x", page);
		theme.part(Theme.Part.END).render((name) -> "x", page);
		assertThat(page).contains("<html lang=\"en\">", "name=\"viewport\"", "<caption>", "<th scope=\"col\"",
				"prefers-color-scheme: dark", "<main>");
		assertThat(page.toString()).doesNotContain("<script", "<link", "@import", "url(", "http:", "https:");
	}

	@Test
	void unknownBuiltInThemeIsNull() {
		assertThat(Theme.builtIn("nonexistent")).isNull();
		assertThat(Theme.builtIn("../default")).isNull();
	}

	@Test
	void themeDirectoryProvidesItsParts() throws IOException {
		Path dir = theme("<h1>{{path}}</h1>", "<p>{{name}}</p>", "<hr>");
		Theme theme = Theme.load(dir, Theme.builtIn("default"));
		StringBuilder out = new StringBuilder();
		theme.part(Theme.Part.ENTRY).render((name) -> "n", out);
		assertThat(out).hasToString("<p>n</p>");
	}

	@Test
	void missingNoteAndReadmeComeFromTheFallback() throws IOException {
		Theme fallback = Theme.builtIn("default");
		Theme theme = Theme.load(theme("h", "e", "f"), fallback);
		assertThat(theme.part(Theme.Part.README)).isSameAs(fallback.part(Theme.Part.README));
		assertThat(theme.part(Theme.Part.TRUNCATED)).isSameAs(fallback.part(Theme.Part.TRUNCATED));
	}

	@Test
	void missingParentRowAndEndAreEmpty() throws IOException {
		Theme theme = Theme.load(theme("h", "e", "f"), Theme.builtIn("default"));
		StringBuilder out = new StringBuilder();
		theme.part(Theme.Part.PARENT).render((name) -> "x", out);
		theme.part(Theme.Part.END).render((name) -> "x", out);
		assertThat(out).isEmpty();
	}

	@Test
	void missingRequiredPartIsRefused() throws IOException {
		Path dir = theme("h", "e", "f");
		Files.delete(dir.resolve("entry.html"));
		assertThatIllegalArgumentException().isThrownBy(() -> Theme.load(dir, Theme.builtIn("default")))
			.withMessageStartingWith(dir.resolve("entry.html") + ": missing");
	}

	@Test
	void missingDirectoryIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Theme.load(this.temp.resolve("none"), Theme.builtIn("default")))
			.withMessageEndingWith("(expected: a theme directory)");
	}

	@Test
	void placeholderAPartDoesNotOfferIsRefused() throws IOException {
		Path dir = theme("<h1>{{href}}</h1>", "e", "f");
		assertThatIllegalArgumentException().isThrownBy(() -> Theme.load(dir, Theme.builtIn("default")))
			.withMessageStartingWith(dir.resolve("header.html") + ": line 1: unknown placeholder {{href}}");
	}

	@Test
	void invalidUtf8IsRefused() throws IOException {
		Path dir = theme("h", "e", "f");
		Files.write(dir.resolve("footer.html"), new byte[] { (byte) 0xc3, (byte) 0x28 });
		assertThatIllegalArgumentException().isThrownBy(() -> Theme.load(dir, Theme.builtIn("default")))
			.withMessage(dir.resolve("footer.html") + ": not valid UTF-8");
	}

	@Test
	void oversizedTemplateIsRefused() throws IOException {
		Path dir = theme("h", "e", "f");
		Files.writeString(dir.resolve("header.html"), "x".repeat(Theme.MAX_TEMPLATE_BYTES + 1));
		assertThatIllegalArgumentException().isThrownBy(() -> Theme.load(dir, Theme.builtIn("default")))
			.withMessageContaining("larger than");
	}

	private Path theme(String header, String entry, String footer) throws IOException {
		Path dir = Files.createDirectories(this.temp.resolve("theme"));
		Files.writeString(dir.resolve("header.html"), header);
		Files.writeString(dir.resolve("entry.html"), entry);
		Files.writeString(dir.resolve("footer.html"), footer);
		return dir;
	}

}
