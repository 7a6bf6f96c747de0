package dev.capuchin.plugin.dirlisting.internal;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Unit tests for {@link Template}.
 */
class TemplateTests {

	private static final Set<String> NAMES = Set.of("name", "href");

	@Test
	void placeholdersAreReplacedWithEscapedValues() {
		Template template = Template.parse("<a href=\"{{href}}\">{{ name }}</a>", NAMES);
		StringBuilder out = new StringBuilder();
		template.render(Map.of("href", "/a?b=1&c=\"2\"", "name", "<b>x</b>")::get, out);
		assertThat(out).hasToString("<a href=\"/a?b=1&amp;c=&quot;2&quot;\">&lt;b&gt;x&lt;/b&gt;</a>");
	}

	@Test
	void textWithoutPlaceholdersIsKept() {
		Template template = Template.parse("body { color: red }}", NAMES);
		StringBuilder out = new StringBuilder();
		template.render((name) -> "x", out);
		assertThat(out).hasToString("body { color: red }}");
		assertThat(template.placeholders()).isEmpty();
	}

	@Test
	void valueThatLooksLikeAPlaceholderIsNotExpanded() {
		Template template = Template.parse("{{name}}", NAMES);
		StringBuilder out = new StringBuilder();
		template.render((name) -> "{{href}}", out);
		assertThat(out).hasToString("{{href}}");
	}

	@Test
	void unknownPlaceholderIsRefusedWithItsLine() {
		assertThatIllegalArgumentException().isThrownBy(() -> Template.parse("a\nb {{size}}", NAMES))
			.withMessage("line 2: unknown placeholder {{size}} (expected one of: href, name)");
	}

	@Test
	void unclosedPlaceholderIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> Template.parse("{{name", NAMES))
			.withMessage("line 1: '{{' without '}}'");
	}

}
